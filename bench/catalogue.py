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
page and a designer's profile, with the server's CPU time per request and its ratio to the bare
endpoint's (steadier than the rates on a shared machine: a page's rate moves with the
neighbours' load, its CPU cost much less). Prints figures; asserts nothing about time. Everything it wrote
is removed at the end (a PostgreSQL database keeps its tables).
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.serving import Served, analyze, build_app, child, measure, options, prepare  # noqa: E402

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


def main() -> None:
    if child():
        return
    parser = options(__doc__)
    parser.add_argument("--designers", type=int, default=1000)
    parser.add_argument("--listings", type=int, default=10000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-catalogue-"))
    try:
        url = prepare(args.database_url, folder)
        with build_app(url).app_context():
            started = time.perf_counter()
            seed(args.designers, args.listings)
            analyze(url)
            print(
                f"seeded {args.designers} designers and {args.listings} listings "
                f"in {time.perf_counter() - started:.1f} s ({url.split(':')[0]}, {args.server})"
            )
        paths = [
            ("bare Flask endpoint", "/bench/bare"),
            ("search, first page", "/find"),
            ("search, full text", "/find?q=zirconia+crowns"),
            ("search, filters + sort", "/find?category=crowns&software=exocad&max_price=40&sort=price&page=2"),
            ("listing page", f"/listings/{min(4242, args.listings)}"),
            ("designer profile", "/designers/42"),
        ]
        with Served(__file__, args.server, url, args.workers, folder / "server.log") as served:
            measure(served.port, paths, args.requests, args.threads, server_pid=served.process.pid)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
