"""Benchmark: the catalogue's public pages against a bare Flask endpoint, same server, same run.

    .venv/bin/python bench/catalogue.py [--designers 1000] [--listings 10000] [--requests 400] [--threads 4]
        [--server werkzeug|gunicorn] [--workers 2] [--database-url postgresql://…/bench_db]

Seeds its own database (a temporary SQLite file, or the PostgreSQL database given, whose tables
are dropped and created) with approved, verified designers and approved listings, written in
bulk: the catalogue rows and their full-text index as approvals would leave them. Serves the
app in a child process (werkzeug's threaded server, or gunicorn with `--workers` gthread workers)
and sends a bounded number of requests to each URL from a few client threads with keep-alive
connections. Prints requests per second and latency percentiles for: the bare endpoint (the
yardstick), the first page of results, a full-text query, a filtered and sorted query, a listing
page and a designer's profile. Prints figures; asserts nothing about time. Everything it wrote
is removed at the end (a PostgreSQL database keeps its tables).
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

WORDS = [
    "zirconia",
    "crowns",
    "bridges",
    "anatomic",
    "implant",
    "abutment",
    "veneers",
    "aligners",
    "splint",
    "guides",
    "monolithic",
    "layering",
    "contacts",
    "occlusion",
    "screw-retained",
    "full-arch",
    "dentures",
    "wax-up",
    "smile",
    "models",
    "printing",
    "emax",
    "titanium",
    "passive",
    "fit",
    "margins",
]


def seed(designers: int, listings: int) -> None:
    """Bulk rows equal to what the operations leave after approval (no contact filter, no pictures)."""
    import sqlalchemy as sa

    from extensions import db
    from listings import taxonomy
    from models.accounts import User
    from models.listings import CatalogueEntry, Listing, PriceTier
    from models.profiles import DesignerProfile
    from models.types import utcnow
    from passwords import hash_password

    rng = random.Random(7)
    now = utcnow()
    password = hash_password("bench-password")
    pairs = [(c, s) for c, (_l, subs) in taxonomy.CATEGORIES.items() for s in subs]
    db.session.execute(
        sa.insert(User),
        [
            {
                "id": n,
                "email": f"designer{n}@bench.local",
                "password_hash": password,
                "display_name": f"Designer {n}",
                "is_client": False,
                "is_designer": True,
                "email_confirmed_at": now,
            }
            for n in range(1, designers + 1)
        ],
    )
    profiles = []
    for n in range(1, designers + 1):
        reviews = rng.choice([0, 0, 1, 3, 5, 8])
        stars = reviews * 5 if rng.random() < 0.2 else sum(rng.randint(3, 5) for _ in range(reviews))
        skills = rng.sample(WORDS, 3)
        profiles.append(
            {
                "user_id": n,
                "real_name": f"Real {n}",
                "country": "FR",
                "tax_id": "X",
                "bio": "Bio",
                "skills": skills,
                "software": ["exocad"],
                "state": "approved",
                "approved_at": now,
                "approved_snapshot": {"skills": skills, "bio": "Bio", "photo": None},
                "identity_verified": True,
                "payouts_ready": True,
                "unavailable": rng.random() < 0.1,
                "stars_total": stars,
                "review_count": reviews,
                "rejection_reasons": [],
            }
        )
    db.session.execute(sa.insert(DesignerProfile), profiles)
    rows, tiers, entries = [], [], []
    for n in range(1, listings + 1):
        designer = (n - 1) % designers + 1
        category, sub = pairs[((n - 1) // designers) % len(pairs)]
        title = " ".join(rng.sample(WORDS, 4)).capitalize()
        description = " ".join(rng.choices(WORDS, k=40))
        price = rng.randint(7, 90) * 100
        days = rng.randint(1, 7)
        software = rng.sample(list(taxonomy.SOFTWARE), 2)
        snapshot = {
            "title": title,
            "category": category,
            "subcategory": sub,
            "description": description,
            "software": software,
            "revisions_included": 2,
            "turnaround_days": days,
            "unit": "unit",
            "min_quantity": 1,
            "currency": "usd",
            "tiers": [[1, price]],
            "images": [],
        }
        rows.append(
            {
                "id": n,
                "designer_id": designer,
                "title": title,
                "category": category,
                "subcategory": sub,
                "description": description,
                "software": software,
                "revisions_included": 2,
                "turnaround_days": days,
                "unit": "unit",
                "min_quantity": 1,
                "state": "approved",
                "approved_snapshot": snapshot,
                "approved_at": now,
                "rejection_reasons": [],
            }
        )
        tiers.append({"listing_id": n, "min_quantity": 1, "unit_price_cents": price})
        entries.append(
            {
                "listing_id": n,
                "designer_id": designer,
                "title": title,
                "description": description,
                "skills": " ".join(profiles[designer - 1]["skills"]),
                "software_names": " ".join(taxonomy.software_names(software)),
                "software_codes": "|" + "|".join(software) + "|",
                "category": category,
                "subcategory": sub,
                "unit": "unit",
                "from_price_cents": price,
                "turnaround_days": days,
                "revisions_included": 2,
                "paused": False,
                "approved_at": now,
                "listed": True,
                "unavailable": profiles[designer - 1]["unavailable"],
                "review_count": profiles[designer - 1]["review_count"],
                "stars_total": profiles[designer - 1]["stars_total"],
            }
        )
    db.session.execute(sa.insert(Listing), rows)
    db.session.execute(sa.insert(PriceTier), tiers)
    db.session.execute(sa.insert(CatalogueEntry), entries)
    db.session.commit()


def hammer(port: int, path: str, requests: int, threads: int, headers: dict | None = None) -> tuple[float, list[float]]:
    """Send `requests` GETs spread over `threads` keep-alive connections; (req/s, latencies)."""
    latencies: list[float] = []
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
                raise SystemExit(f"{path} answered {response.status}")
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
    return len(latencies) / (time.perf_counter() - started), sorted(latencies)


SERVERS = ("werkzeug", "gunicorn")


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
    """The child process of Served: werkzeug's threaded server, or gunicorn with `workers`
    gthread workers (as production runs it); the access log stays on, as in production."""
    app = build_app(database_url)
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
                "accesslog": None,
            }.items():
                self.cfg.set(name, value)

        def load(self):
            return app

    Gunicorn().run()


class Served:
    """The app served by `server` in a child process on a free port of 127.0.0.1 (so the
    client threads of the bench do not share the server's interpreter)."""

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


def measure(port: int, paths: list[tuple[str, str]], requests: int, threads: int, headers: dict | None = None) -> None:
    """Print each page's rate and latencies next to the first one's (the bare endpoint)."""
    print(f"{'page':<30}{'req/s':>9}{'p50 ms':>9}{'p95 ms':>9}   ({requests} requests, {threads} threads)")
    baseline = None
    for label, path in paths:
        hammer(port, path, threads * 5, threads, headers)  # warm up
        rate, latencies = hammer(port, path, requests, threads, headers)
        baseline = baseline or rate
        p50 = latencies[len(latencies) // 2] * 1000
        p95 = latencies[int(len(latencies) * 0.95) - 1] * 1000
        print(f"{label:<30}{rate:>9.0f}{p50:>9.1f}{p95:>9.1f}   {rate / baseline:>5.0%} of bare", flush=True)


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


def main() -> None:
    if sys.argv[1:2] == ["--serve"]:
        server, port, url, workers = sys.argv[2:6]
        serve(server, int(port), url, int(workers))
        return
    parser = options(__doc__)
    parser.add_argument("--designers", type=int, default=1000)
    parser.add_argument("--listings", type=int, default=10000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-catalogue-"))
    try:
        from extensions import db

        url = prepare(args.database_url, folder)
        with build_app(url).app_context():
            started = time.perf_counter()
            seed(args.designers, args.listings)
            if url.startswith("postgresql"):
                db.session.execute(db.text("ANALYZE"))  # what autovacuum does soon after a bulk load
                db.session.commit()
            print(
                f"seeded {args.designers} designers and {args.listings} listings "
                f"in {time.perf_counter() - started:.1f} s ({url.split(':')[0]}, {args.server})"
            )
        paths = [
            ("bare Flask endpoint", "/bench/bare"),
            ("search, first page", "/find"),
            ("search, full text", "/find?q=zirconia+crowns"),
            ("search, filters + sort", "/find?category=crowns&software=exocad&max_price=40&sort=price&page=2"),
            ("listing page", "/listings/4242"),
            ("designer profile", "/designers/42"),
        ]
        with Served(__file__, args.server, url, args.workers, folder / "server.log") as served:
            measure(served.port, paths, args.requests, args.threads)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
