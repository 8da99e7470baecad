"""What the benches share: the app they serve, served in a child process (werkzeug's threaded
server or gunicorn), and the timing of a bounded number of keep-alive requests per page.

A bench script starts its own file again as the child (`Served(__file__, …)` runs
`script --serve SERVER PORT DATABASE_URL WORKERS`), and its main hands that to `child`.
"""

from __future__ import annotations

import argparse
import http.client
import os
import sys
import threading
import time
from pathlib import Path

SERVERS = ("werkzeug", "gunicorn")


def hammer(port: int, path: str, requests: int, threads: int, headers: dict | None = None) -> tuple[float, list[float]]:
    """Send `requests` GETs spread over `threads` keep-alive connections; (req/s, latencies)."""
    latencies: list[float] = []
    refused: list[str] = []  # a thread's exception would end only that thread, silently
    lock = threading.Lock()
    share = requests // threads

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        for _ in range(share):
            started = time.perf_counter()
            connection.request("GET", path, headers=headers or {})
            response = connection.getresponse()
            response.read()
            if response.status != 200:
                with lock:
                    refused.append(f"{path} answered {response.status}")
                return
            mine.append(time.perf_counter() - started)
        connection.close()
        with lock:
            latencies.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    started = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    if refused:
        raise SystemExit(refused[0])
    return len(latencies) / (time.perf_counter() - started), sorted(latencies)


def build_app(database_url: str):
    """The app with its defaults, no rate limits, no sweeper thread, and the bare endpoint."""
    from app import create_app

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "MAIL_URL": None,
            "RATELIMIT_ENABLED": False,
            "REDIS_URL": None,
            "SWEEP_EVERY_SECONDS": 0,
        }
    )
    app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
    return app


def serve(server: str, port: int, database_url: str, workers: int) -> None:
    """The child process of Served: the bench app behind `run_server`."""
    run_server(build_app(database_url), server, port, workers)


def run_server(app, server: str, port: int, workers: int, timeout: int = 30) -> None:
    """Serve `app` on 127.0.0.1:`port` until terminated: werkzeug's threaded server with
    keep-alive, or gunicorn with `workers` gthread workers (as production runs it). `timeout`
    is gunicorn's worker timeout (a bench sending one large file needs more than 30 s)."""
    if server == "werkzeug":
        from werkzeug.serving import WSGIRequestHandler, make_server

        WSGIRequestHandler.protocol_version = "HTTP/1.1"  # keep-alive
        WSGIRequestHandler.log_request = lambda *a, **k: None
        make_server("127.0.0.1", port, app, threaded=True).serve_forever()
        return
    from gunicorn.app.base import BaseApplication

    class Gunicorn(BaseApplication):
        def load_config(self):
            for name, value in {
                "bind": f"127.0.0.1:{port}",
                "workers": workers,
                "worker_class": "gthread",
                "threads": 4,
                "keepalive": 30,
                "timeout": timeout,
                "accesslog": None,
            }.items():
                self.cfg.set(name, value)

        def load(self):
            return app

    Gunicorn().run()


class Served:
    """The app served by `server` in a child process on a free port of 127.0.0.1 (so the
    client threads of the bench do not share the server's interpreter). The child reads the
    same instance folder (INSTANCE_PATH), hence the same secret key as the bench's own app."""

    def __init__(self, script: str, server: str, database_url: str, workers: int, log: Path):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.command = [sys.executable, script, "--serve", server, str(self.port), database_url, str(workers)]
        self.log = log

    def __enter__(self):
        import socket
        import subprocess

        with open(self.log, "ab") as out:  # the app's access lines, kept out of the figures
            self.process = subprocess.Popen(self.command, stdout=out, stderr=out)
        for _ in range(600):  # at most 60 s to start
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.1).close()
                return self
            except OSError:
                time.sleep(0.1)
        self.process.terminate()
        raise RuntimeError(f"the app server did not start (see {self.log})")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=30)


def server_cpu(pid: int) -> float:
    """CPU seconds (user and system) used so far by the server process `pid` and its children
    (gunicorn's workers), read from /proc; 0.0 where there is none."""
    total = 0.0
    ticks = os.sysconf("SC_CLK_TCK")
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / ticks  # utime, stime
            pending += [int(c) for c in Path(f"/proc/{current}/task/{current}/children").read_text().split()]
        except (OSError, IndexError, ValueError):
            continue
    return total


def measure(
    port: int,
    paths: list[tuple[str, str]],
    requests: int,
    threads: int,
    headers: dict | None = None,
    server_pid: int | None = None,
) -> None:
    """Print each page's rate and latencies next to the first one's (the bare endpoint); with
    `server_pid`, the server's CPU time per request too, and its ratio to the bare endpoint's
    (what a page costs, however busy the machine is: wall rates move with the neighbours' load)."""
    cpu = f"{'CPU ms':>9}" if server_pid else ""
    print(f"{'page':<30}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}{cpu}   ({requests} requests, {threads} threads)")
    baseline = cpu_baseline = None
    for label, path in paths:
        hammer(port, path, threads * 5, threads, headers)  # warm up
        before = server_cpu(server_pid) if server_pid else 0.0
        rate, latencies = hammer(port, path, requests, threads, headers)
        used = (server_cpu(server_pid) - before) / len(latencies) * 1000 if server_pid else 0.0
        baseline = baseline or rate
        cpu_baseline = cpu_baseline or used
        p50 = latencies[len(latencies) // 2] * 1000
        p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
        line = f"{label:<30}{rate:>9.0f}{p50:>9.1f}{p95:>9.1f}"
        if server_pid:
            line += f"{used:>9.2f}   {rate / baseline:>5.0%} of bare, {cpu_baseline / used:>5.0%} of bare by CPU"
        else:
            line += f"   {rate / baseline:>5.0%} of bare"
        print(line, flush=True)


def options(description: str) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--server", choices=SERVERS, default="werkzeug")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn's worker processes (default 2)")
    parser.add_argument(
        "--database-url",
        help="a PostgreSQL database to seed and serve from (its tables are dropped and created); "
        "default: a temporary SQLite file",
    )
    return parser


def prepare(database_url: str | None, folder: Path) -> str:
    """Point the app at the bench's database and instance folder; create empty tables."""
    os.environ["INSTANCE_PATH"] = str(folder)
    import config
    from extensions import db

    url = config.database_url(database_url) if database_url else f"sqlite:///{folder / 'bench.db'}"

    with build_app(url).app_context():
        db.drop_all()
        db.create_all()
    return url


def analyze(url: str) -> None:
    """On PostgreSQL, what autovacuum does soon after a bulk load (in an app context)."""
    from extensions import db

    if url.startswith("postgresql"):
        db.session.execute(db.text("ANALYZE"))
        db.session.commit()


def child() -> bool:
    """In the child process a bench started (`--serve …`): serve until terminated, then True."""
    if sys.argv[1:2] != ["--serve"]:
        return False
    server, port, url, workers = sys.argv[2:6]
    serve(server, int(port), url, int(workers))
    return True
