"""gunicorn settings for Occlusa: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment, so one file serves a laptop, the CI smoke
test and production. The proxies in front are counted by the app itself (TRUSTED_PROXY_HOPS,
werkzeug's ProxyFix in app.py), so gunicorn is told to trust no forwarding header of its own.
"""
import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Sync workers: upload bodies are read straight from the socket (storefront/files/request_body.py)
# and every request is short (scans go up in parts of at most MAX_CONTENT_LENGTH).
worker_class = "sync"
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A worker silent for this long is killed and replaced: long enough for one upload part on a slow line.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 120))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", 30))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# Recycle workers now and then, at different moments, so a slow leak never takes all of them down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", 2000))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", 200))
# No preload: each worker builds its own app, and with it its own database connections.
preload_app = False
forwarded_allow_ips = ""
secure_scheme_headers = {}
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "occlusa-web"
