"""gunicorn settings for Occlusa: `gunicorn -c deploy/gunicorn.conf.py wsgi:app`.

Every value can be changed from the environment, so one file serves a laptop, the CI smoke
test and production. The proxies in front are counted by the app itself (TRUSTED_PROXY_HOPS,
werkzeug's ProxyFix in app.py), so gunicorn is told to trust no forwarding header of its own.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
# Threads: a slow upload or download holds one thread, not a whole worker (README, Production).
worker_class = "gthread"
workers = int(os.environ.get("WEB_CONCURRENCY", min(multiprocessing.cpu_count() * 2, 8)))
threads = int(os.environ.get("GUNICORN_THREADS", 8))
# A worker whose main loop is silent this long is stuck: killed and replaced. Requests in
# threads may last longer (a 60 MiB upload part on a slow line).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 60))
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
# No gunicorn access log: its lines would hold raw paths, secret tokens included. The app writes
# its own on the `occlusa.access` logger, naming secret routes by their rule (access_log.py).
accesslog = None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "occlusa-web"
