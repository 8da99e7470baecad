"""Benchmark: the back office's queue pages, the figures page and the audit log against a bare Flask endpoint.

    .venv/bin/python bench/backoffice.py [--items 10000] [--audit 100000] [--requests 200] [--threads 4]
        [--server werkzeug|gunicorn] [--workers 2] [--database-url postgresql://…/bench_db]

Seeds its own database (a temporary SQLite file, or the PostgreSQL database given, whose tables
are dropped and created) in bulk: `--items` waiting items in each queue (profiles, listings,
identity verifications, violations, community posts, disputes, support tickets) and `--audit`
audit entries (decisions of ten staff members over the last 60 days, and other actions). Serves
the app in a child process (bench/serving.py: werkzeug's threaded server, or gunicorn with
`--workers` workers), logs in as an admin who passes the second factor, and prints requests per
second and latency percentiles of each page next to the bare endpoint of the same run. Prints
figures; asserts nothing about time. Everything it wrote is removed at the end (a PostgreSQL
database keeps its tables).
"""

from __future__ import annotations

import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.serving import Served, analyze, build_app, child, measure, options, prepare  # noqa: E402  (after the path is set)

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
PASSWORD = "bench-password"
AGENT = {"User-Agent": "occlusa-bench"}
STAFF = 10
OTHER_ACTIONS = [
    "profile.submitted",
    "listing.submitted",
    "verification.submitted",
    "violation.read",
    "verification.document_opened",
    "dispute.message",
    "case.auto_complete",
    "staff.roles_granted",
]


def seed(items: int, audit: int) -> None:
    """Bulk rows as the operations leave them: waiting items of every queue, and an audit history."""
    import sqlalchemy as sa

    from backoffice.figures import DECISION_ACTIONS, record_decision_days
    from disputes.rules import queue_due_at
    from extensions import db
    from legal.operations import accept_current_terms
    from models.accounts import StaffRole, StaffRoleGrant, User
    from models.cases import Case, CaseState, CaseUnit
    from models.community import Post, PostState
    from models.disputes import Dispute, DisputeState
    from models.listings import Listing
    from models.moderation import AuditDayCount, AuditEntry, Violation
    from models.profiles import DesignerProfile
    from models.support import SupportTicket, TicketMessage
    from models.types import utcnow
    from models.verification import VerificationSubmission
    from moderation.second_factor import enrol_known_secret
    from passwords import hash_password

    rng = random.Random(11)
    now = utcnow()
    password = hash_password(PASSWORD)
    ago = [now - timedelta(minutes=rng.randint(1, 7 * 24 * 60)) for _ in range(items)]
    designers = range(1, items + 1)
    db.session.execute(
        sa.insert(User),
        [
            {
                "id": n,
                "email": f"user{n}@bench.local",
                "password_hash": password,
                "display_name": f"User {n}",
                "is_client": n > items,
                "is_designer": n <= items,
                "email_confirmed_at": now,
            }
            for n in range(1, 2 * items + 1)
        ],
    )
    db.session.execute(
        sa.insert(DesignerProfile),
        [
            {
                "user_id": n,
                "real_name": f"Real {n}",
                "country": "FR",
                "tax_id": "X",
                "bio": "Bio",
                "skills": ["crowns"],
                "software": ["exocad"],
                "state": "pending",
                "submitted_at": ago[n - 1],
                "rejection_reasons": [],
            }
            for n in designers
        ],
    )
    db.session.execute(
        sa.insert(Listing),
        [
            {
                "designer_id": n,
                "title": f"Zirconia crowns {n}",
                "category": "crowns",
                "subcategory": "anatomic_crown",
                "description": "Anatomic zirconia crowns.",
                "software": ["exocad"],
                "revisions_included": 2,
                "turnaround_days": 2,
                "unit": "unit",
                "min_quantity": 1,
                "state": "pending",
                "submitted_at": ago[n - 1],
                "rejection_reasons": [],
            }
            for n in designers
        ],
    )
    db.session.execute(
        sa.insert(VerificationSubmission),
        [
            {
                "designer_id": n,
                "nationality": "FR",
                "status": "submitted",
                "submitted_at": ago[n - 1],
                "document_summary": [{"type": "passport", "sha256": "0" * 64}],
            }
            for n in designers
        ],
    )
    db.session.execute(
        sa.insert(Violation),
        [
            {
                "user_id": n,
                "source": "message",
                "text": "mail me at someone at example dot com",
                "findings": [],
                "status": "open",
                "created_at": ago[n - 1],
            }
            for n in designers
        ],
    )
    db.session.execute(
        sa.insert(Post),
        [
            {
                "author_id": n,
                "body": "First crown of the week, monolithic zirconia.",
                "categories": ["crowns"],
                "software": ["exocad"],
                "state": PostState.pending,
                "created_at": ago[n - 1],
            }
            for n in designers
        ],
    )
    db.session.execute(
        sa.insert(Case),
        [
            {
                "id": n,
                "reference": f"BN{n:08d}",
                "client_id": items + n,
                "designer_id": n,
                "listing_title": "Crowns",
                "unit": CaseUnit.tooth,
                "revisions_included": 2,
                "turnaround_days": 2,
                "quantity": 1,
                "unit_price_cents": 9000,
                "amount_cents": 9000,
                "fee_cents": 900,
                "currency": "usd",
                "state": CaseState.disputed,
                "accepted_at": ago[n - 1] - timedelta(days=10),
                "created_at": ago[n - 1] - timedelta(days=11),
            }
            for n in designers
        ],
    )
    disputes = [
        Dispute(
            case_id=n,
            opened_by_id=items + n,
            reason="poor_quality",
            client_statement="Margins open.",
            answer_due_at=ago[n - 1] + timedelta(days=5),
            state=rng.choice([DisputeState.open, DisputeState.awaiting_ruling]),
            opened_at=ago[n - 1],
        )
        for n in designers
    ]
    # The queue's stored due time, as the dispute's moves keep it (the case is only read for its limit).
    limits = {n: Case(accepted_at=ago[n - 1] - timedelta(days=10)) for n in designers}
    db.session.execute(
        sa.insert(Dispute),
        [
            {
                "case_id": d.case_id,
                "opened_by_id": d.opened_by_id,
                "reason": d.reason,
                "client_statement": d.client_statement,
                "answer_due_at": d.answer_due_at,
                "state": d.state,
                "opened_at": d.opened_at,
                "queue_due_at": queue_due_at(d, limits[d.case_id]),
            }
            for d in disputes
        ],
    )
    # Support tickets: every other one from a signed-out visitor (no account), each with its first message.
    db.session.execute(
        sa.insert(SupportTicket),
        [
            {
                "id": n,
                "user_id": items + n if n % 2 else None,
                "email": f"user{items + n}@bench.local",
                "signed_in": bool(n % 2),
                "locale": "en",
                "topic": "payments",
                "subject": f"Payout {n} not arrived",
                "status": "open",
                "created_at": ago[n - 1],
                "waiting_since": ago[n - 1],
            }
            for n in designers
        ],
    )
    db.session.execute(
        sa.insert(TicketMessage),
        [
            {
                "ticket_id": n,
                "author_id": items + n if n % 2 else None,
                "from_staff": False,
                "body": "My payout has not reached my bank.",
                "created_at": ago[n - 1],
            }
            for n in designers
        ],
    )
    staff_ids = list(range(2 * items + 1, 2 * items + 1 + STAFF))
    db.session.execute(
        sa.insert(User),
        [
            {
                "id": n,
                "email": f"staff{n}@bench.local",
                "password_hash": password,
                "display_name": f"Staff {n}",
                "is_client": False,
                "is_designer": False,
                "email_confirmed_at": now,
            }
            for n in staff_ids
        ],
    )
    db.session.execute(sa.insert(StaffRoleGrant), [{"user_id": n, "role": StaffRole.admin} for n in staff_ids])
    rows = []
    for _ in range(audit):
        decision = rng.random() < 0.7
        rows.append(
            {
                "at": now - timedelta(minutes=rng.randint(1, 60 * 24 * 60)),
                "actor_id": rng.choice(staff_ids),
                "action": rng.choice(DECISION_ACTIONS if decision else OTHER_ACTIONS),
                "object_type": "Listing",
                "object_id": str(rng.randint(1, items)),
                "before": {"state": "pending"},
                "after": {"state": "approved"},
            }
        )
    db.session.execute(sa.insert(AuditEntry), rows)
    # A bulk insert skips the session's hook that keeps the daily roll-up: count these rows as it would.
    days = Counter((row["at"].date(), row["action"], row["actor_id"]) for row in rows)
    db.session.execute(
        sa.insert(AuditDayCount),
        [{"day": d, "action": a, "actor_key": actor, "entries": n} for (d, a, actor), n in days.items()],
    )
    record_decision_days(now)  # what the minute sweep keeps: the closed days' hours to decision
    enrol_known_secret(db.session.get(User, staff_ids[0]), SECRET, actor=None)
    accept_current_terms(db.session.get(User, staff_ids[0]))  # as at sign-up: no terms page in front of the queues
    db.session.commit()


def staff_cookie(app, email: str) -> dict:
    """Log in as a staff member through the app (password, then the TOTP code); the session cookie."""
    import pyotp

    client = app.test_client()
    client.post("/account/login", data={"email": email, "password": PASSWORD}, headers=AGENT)
    passed = client.post("/backoffice/second-factor/", data={"code": pyotp.TOTP(SECRET).now()}, headers=AGENT)
    if passed.status_code != 302:
        raise SystemExit(f"the bench staff member did not pass the second factor ({passed.status_code})")
    name = app.config.get("SESSION_COOKIE_NAME", "session")
    return {**AGENT, "Cookie": f"{name}={client.get_cookie(name).value}"}


def main() -> None:
    if child():
        return
    parser = options(__doc__)
    parser.set_defaults(requests=200)
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--audit", type=int, default=100_000)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-backoffice-"))
    try:
        url = prepare(args.database_url, folder)
        app = build_app(url)
        with app.app_context():
            started = time.perf_counter()
            seed(args.items, args.audit)
            analyze(url)
            print(
                f"seeded {args.items} waiting items per queue and {args.audit} audit entries "
                f"in {time.perf_counter() - started:.1f} s ({url.split(':')[0]}, {args.server})"
            )
        app.config["WTF_CSRF_ENABLED"] = False  # the login's forms, posted by the test client
        headers = staff_cookie(app, f"staff{2 * args.items + 1}@bench.local")
        paths = [
            ("bare Flask endpoint", "/bench/bare"),
            ("profile reviews", "/backoffice/reviews/profiles/"),
            ("listing reviews", "/backoffice/reviews/listings/"),
            ("verifications", "/backoffice/verifications/"),
            ("violations", "/backoffice/violations/"),
            ("post reviews", "/backoffice/reviews/posts/"),
            ("support desk", "/backoffice/support/"),
            ("disputes", "/backoffice/resolution/"),
            ("account page", "/backoffice/accounts/1"),  # a designer with an item in every queue
            ("figures", "/backoffice/figures/"),
            ("audit log", "/backoffice/audit-log/"),
        ]
        with Served(__file__, args.server, url, args.workers, folder / "server.log") as served:
            measure(served.port, paths, args.requests, args.threads, headers, server_pid=served.process.pid)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
