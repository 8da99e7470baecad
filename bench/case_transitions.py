"""Benchmark: server time of a case's transitions (accept, deliver, complete), through the domain
functions and through HTTP.

    .venv/bin/python bench/case_transitions.py [--cases 60] [--database-url postgresql://…] [--redis-url redis://…]

Makes `--cases` requests awaiting acceptance through the real order path (sandbox card hold), in a
database of its own: a temporary SQLite file by default, or the PostgreSQL database named by
--database-url (its tables are created, and dropped at the end: give it a scratch database).
Half the cases are driven by the domain functions (process.accept_case, deliver_case with a
stored design file, complete_case, each followed by the commit a request makes), the other half
by the storefront's POST routes through Flask's test client (the request's whole server time:
session, CSRF off, the lock, the change, the commit, the redirect; the delivery uploads one
small STL file with the form). Jobs the transitions enqueue (notifications, invoices) run inline
after the commit without --redis-url, as the embedded default does; with it they go to RQ as in
a deployment (the bench empties its queue at the end). Prints p50 / p95 per transition and path,
and a bare Flask GET through the same test client as the yardstick of the machine's load, and
the SQL statements each transition runs (median per path; inline jobs included). With --profile
FILE, the domain-function half runs under cProfile and its stats are written to FILE (read them
with `python -m pstats FILE`). Issue #21 asks for at most 20 ms on PostgreSQL. Prints figures;
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import cProfile
import logging
import statistics
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

STL = b"solid crown\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid crown\n"
TRANSITIONS = ("accept", "deliver", "complete")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, min(len(ordered) - 1, int(len(ordered) * share + 0.5) - 1))] * 1000


class Statements:
    """Counts the SQL statements the engine runs between `start()` and `stop()`."""

    def __init__(self, engine):
        self.engine, self.seen = engine, 0
        sa.event.listen(engine, "before_cursor_execute", self._count)

    def _count(self, *_args) -> None:
        self.seen += 1

    def start(self) -> None:
        self.seen = 0

    def stop(self) -> int:
        return self.seen

    def close(self) -> None:
        sa.event.remove(self.engine, "before_cursor_execute", self._count)


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def domain_steps(case, design) -> dict:
    """The transitions of one case by their domain functions (the delivery with a stored file)."""
    from cases import process

    client, designer = case.client, case.designer
    return {
        "accept": lambda: process.accept_case(case, actor=designer),
        "deliver": lambda: process.deliver_case(case, actor=designer, note="Here it is", files=[design]),
        "complete": lambda: process.complete_case(case, actor=client),
    }


def http_steps(app, reference: str, client_email: str, designer_email: str) -> dict:
    """The transitions of one case as its parties' browsers post them (each party logged in)."""
    import io

    from tests.factories import PASSWORD

    as_designer, as_client = app.test_client(), app.test_client()
    for browser, email in ((as_designer, designer_email), (as_client, client_email)):
        if browser.post("/account/login", data={"email": email, "password": PASSWORD}).status_code != 302:
            raise SystemExit(f"{email} could not log in")
    return {
        "accept": lambda: as_designer.post(f"/cases/{reference}/accept"),
        "deliver": lambda: as_designer.post(
            f"/cases/{reference}/deliver",
            data={"deliver-note": "Here it is", "deliver-files": (io.BytesIO(STL), "crown.stl")},
            content_type="multipart/form-data",
        ),
        "complete": lambda: as_client.post(f"/cases/{reference}/complete", data={"confirm": "release"}),
    }


def through_domain(cases, counter: Statements, profile: cProfile.Profile | None) -> tuple[dict, dict]:
    """Each transition by its domain function plus the commit, timed from the lock to the commit."""
    from extensions import commit
    from tests.cases.factories import design_file

    times, counts = {t: [] for t in TRANSITIONS}, {t: [] for t in TRANSITIONS}
    for case in cases:
        design = design_file(case.designer)
        commit()
        steps = domain_steps(case, design)
        for name in TRANSITIONS:
            counter.start()
            if profile:
                profile.enable()
            started = time.perf_counter()
            steps[name]()
            commit()
            times[name].append(time.perf_counter() - started)
            if profile:
                profile.disable()
            counts[name].append(counter.stop())
    return times, counts


def through_http(app, parties: list[tuple[str, str, str]], counter: Statements) -> tuple[dict, dict]:
    """Each transition as the browser posts it, timed around the test client's request (outside
    any application context of the bench's own: each request has its own, as in a server)."""
    times, counts = {t: [] for t in TRANSITIONS}, {t: [] for t in TRANSITIONS}
    for reference, client_email, designer_email in parties:
        steps = http_steps(app, reference, client_email, designer_email)
        for name in TRANSITIONS:
            counter.start()
            started = time.perf_counter()
            response = steps[name]()
            times[name].append(time.perf_counter() - started)
            counts[name].append(counter.stop())
            if response.status_code != 302:
                raise SystemExit(f"{name} on {reference} answered {response.status_code}")
    return times, counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=60)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--redis-url", default=None)
    parser.add_argument("--profile", default=None, help="write cProfile stats of the domain half to this file")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-transitions-"))
    os.environ["INSTANCE_PATH"] = str(folder)
    os.environ["RATELIMIT_ENABLED"] = "0"
    try:
        from app import create_app
        from config import database_url
        from extensions import db
        from models.cases import Case, CaseState

        url = database_url(args.database_url or f"sqlite:///{folder / 'bench.db'}")

        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": url,
                "MAIL_URL": None,
                "WTF_CSRF_ENABLED": False,
                "REDIS_URL": args.redis_url,
                "STORAGE_URL": f"file://{folder / 'storage'}",
            }
        )
        app.add_url_rule("/bench/bare", "bench_bare", lambda: "ok")
        logging.getLogger().setLevel(logging.WARNING)  # a log line per transition would drown the table
        with app.app_context():
            from tests.cases.factories import make_case

            db.drop_all()
            db.create_all()
            made = [make_case() for _ in range(args.cases)]
            ids = [case.id for case in made]
            half = len(made) // 2
            counter = Statements(db.engine)
            profile = cProfile.Profile() if args.profile else None
            results, statements = {}, {}
            results["domain functions"], statements["domain functions"] = through_domain(made[:half], counter, profile)
            if profile:
                profile.dump_stats(args.profile)
            parties = [(c.reference, c.client.email, c.designer.email) for c in made[half:]]
            db.session.remove()
        results["HTTP"], statements["HTTP"] = through_http(app, parties, counter)
        counter.close()
        bare = app.test_client()
        results["yardstick"] = {"bare GET": [timed(lambda: bare.get("/bench/bare")) for _ in range(200)]}
        with app.app_context():
            states = {state for (state,) in db.session.execute(sa.select(Case.state).where(Case.id.in_(ids)))}
            if states != {CaseState.completed}:
                raise SystemExit(f"the cases ended in {states}, not all completed")
            db.session.remove()
            if args.database_url:
                db.drop_all()
            db.engine.dispose()
        jobs = "to RQ" if args.redis_url else "inline after the commit"
        print(f"{len(ids)} cases on {url.split(':')[0].split('+')[0]}, jobs {jobs}; server time per transition")
        print(f"{'path':<18}{'transition':<12}{'p50 ms':>9}{'p95 ms':>9}{'statements':>12}")
        for path, times in results.items():
            for name in times:
                count = statistics.median(statements[path][name]) if path in statements else None
                print(
                    f"{path:<18}{name:<12}{percentile(times[name], 0.5):>9.1f}{percentile(times[name], 0.95):>9.1f}"
                    + (f"{count:>12.0f}" if count is not None else "")
                )
        if args.redis_url:
            from redis import Redis
            from rq import Queue

            for name in ("default",):
                Queue(name, connection=Redis.from_url(args.redis_url)).empty()
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
