"""Benchmark: the signed-in pages (a case, the inbox, a conversation of 200 messages) against a
bare Flask endpoint, same server, same run.

    .venv/bin/python bench/signed_in.py [--cases 500] [--contacts 200] [--messages 200] [--requests 400]
        [--threads 4] [--server werkzeug|gunicorn] [--workers 2] [--database-url postgresql://…/bench_db]

Seeds its own database (a temporary SQLite file, or the PostgreSQL database given, whose tables are
dropped and created): a client and a designer; one case taken to delivery through the real process
(card hold, acceptance, a delivered design file) and `--cases` more between them written in bulk, each
with its case thread; `--contacts` other designers who each wrote to the client (a general
conversation of three messages); and the general conversation of the client and the designer with
`--messages` messages, a few of them with attached files. Serves the app in a child process as
bench/catalogue.py does (werkzeug's threaded server, or gunicorn with `--workers` gthread workers),
logs the client in through the login form (CSRF token and all), and prints requests per second,
latency percentiles and the server's CPU time per request of each page next to the bare endpoint
(the CPU ratio holds on a busy machine, the wall one does not), and of the (empty) notifications
page: the floor of any signed-in page (session, user, header, bell). Prints figures; asserts nothing about
time. Everything it wrote is removed at the end (a PostgreSQL database keeps its tables).
"""

from __future__ import annotations

import http.client
import logging
import re
import shutil
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]
sys.path.insert(0, str(ROOT))

from bench.serving import Served, build_app, child, measure, options, prepare  # noqa: E402

AGENT = {"User-Agent": "occlusa-bench"}
STL = b"solid crown\nfacet normal 0 0 1\nouter loop\nvertex 0 0 0\nvertex 1 0 0\nvertex 0 1 0\nendloop\nendfacet\nendsolid crown\n"
WORDS = "margins contacts zirconia emax shade occlusion cement gap anatomy cusp insertion path".split()


def _bulk_users(first_id: int, count: int, password_hash: str, now) -> list[int]:
    import sqlalchemy as sa

    from extensions import db
    from models.accounts import User

    ids = list(range(first_id, first_id + count))
    db.session.execute(
        sa.insert(User),
        [
            {
                "id": n,
                "email": f"designer{n}@bench.local",
                "password_hash": password_hash,
                "display_name": f"Designer {n}",
                "is_client": False,
                "is_designer": True,
                "email_confirmed_at": now,
            }
            for n in ids
        ],
    )
    return ids


def seed(cases: int, contacts: int, messages: int) -> dict:
    """The rows the pages read; returns the client's e-mail and the paths to measure."""
    import random

    import sqlalchemy as sa

    from extensions import commit, db
    from files.operations import store_file
    from messaging.threads import open_case_thread, open_general_conversation
    from models.accounts import User
    from models.cases import Case, CaseState, CaseUnit
    from models.files import FileKind
    from models.messaging import Conversation, ConversationKind, Message, MessageAttachment, Participant
    from models.types import utcnow
    from tests.cases.factories import drive, make_case
    from tests.factories import make_user

    rng = random.Random(5)
    now = utcnow()
    client = make_user(name="Clinic Bench")
    designer = make_user(client=False, designer=True, name="Designer Bench")
    shown = drive(make_case(client, designer), CaseState.delivered)

    # More cases between them, each with its thread and a last message (the inbox's case tab).
    first_case = db.session.scalar(sa.select(sa.func.max(Case.id))) + 1
    case_ids = list(range(first_case, first_case + cases))
    db.session.execute(
        sa.insert(Case),
        [
            {
                "id": n,
                "reference": f"BS{n:08d}",
                "client_id": client.id,
                "designer_id": designer.id,
                "listing_title": "Zirconia crowns",
                "unit": CaseUnit.tooth,
                "revisions_included": 2,
                "turnaround_days": 2,
                "quantity": 1,
                "unit_price_cents": 9000,
                "amount_cents": 9000,
                "fee_cents": 900,
                "currency": "usd",
                "state": rng.choice([CaseState.completed, CaseState.in_progress, CaseState.cancelled]),
                "accepted_at": now - timedelta(days=n % 300 + 1),
                "created_at": now - timedelta(days=n % 300 + 2),
            }
            for n in case_ids
        ],
    )
    for n in case_ids:
        open_case_thread(db.session.get(Case, n))
    commit()

    # Designers who wrote to the client: one general conversation each.
    first_user = db.session.scalar(sa.select(sa.func.max(User.id))) + 1
    others = _bulk_users(first_user, contacts, client.password_hash, now)
    conversations = [open_general_conversation(client, db.session.get(User, n)) for n in others]
    talk = open_general_conversation(client, designer, subject="Zirconia crowns")
    commit()

    rows = []
    for conversation in conversations:
        other = conversation.other_participants(client.id)[0].user_id
        for k in range(3):
            rows.append(
                (conversation.id, other if k % 2 == 0 else client.id, now - timedelta(hours=rng.randint(1, 5000)))
            )
    for thread_id in db.session.scalars(sa.select(Conversation.id).where(Conversation.kind == ConversationKind.case)):
        rows.append((thread_id, designer.id, now - timedelta(hours=rng.randint(1, 5000))))
    start = now - timedelta(days=30)
    talk_rows = [
        (talk.id, designer.id if k % 3 else client.id, start + timedelta(minutes=7 * k)) for k in range(messages)
    ]
    db.session.execute(
        sa.insert(Message),
        [
            {
                "conversation_id": c,
                "sender_id": s,
                "kind": "text",
                "body": " ".join(rng.choices(WORDS, k=18)),
                "created_at": at,
            }
            for c, s, at in rows + talk_rows
        ],
    )
    last = dict(
        db.session.execute(
            sa.select(Message.conversation_id, sa.func.max(Message.created_at)).group_by(Message.conversation_id)
        ).all()
    )
    for conversation_id, at in last.items():
        db.session.execute(sa.update(Conversation).where(Conversation.id == conversation_id).values(last_message_at=at))
    # Everything read up to its last message but a handful (a few unread badges).
    db.session.execute(
        sa.update(Participant).values(
            last_read_message_id=sa.select(sa.func.max(Message.id))
            .where(Message.conversation_id == Participant.conversation_id)
            .scalar_subquery()
        )
    )
    db.session.execute(
        sa.update(Participant)
        .where(Participant.user_id == client.id, Participant.conversation_id.in_([c.id for c in conversations[:5]]))
        .values(last_read_message_id=0)
    )
    # A few of the 200 messages carry files (one stored file each, as a sender's attachment).
    recent = db.session.scalars(
        sa.select(Message).where(Message.conversation_id == talk.id).order_by(Message.id.desc()).limit(messages)
    ).all()
    for message in recent[:: max(1, messages // 6)]:
        stored = store_file(
            [STL], owner=db.session.get(User, message.sender_id), filename="crown.stl", kind=FileKind.design
        )
        db.session.add(MessageAttachment(message_id=message.id, file_id=stored.id, name="crown.stl", size=stored.size))
    commit()
    return {
        "email": client.email,
        "case": f"/cases/{shown.reference}",
        "talk": f"/messages/{talk.id}",
    }


def _cookies(response) -> str:
    """The cookies a response sets, as the Cookie header that sends them back."""
    return "; ".join(value.split(";")[0] for value in response.headers.get_all("Set-Cookie") or [])


def log_in(port: int, email: str, password: str) -> dict:
    """Sign in through the login form, as a browser does: its CSRF token, then the POST; the
    session cookie as request headers."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/account/login", headers=AGENT)
    page = connection.getresponse()
    body = page.read().decode()
    cookie = _cookies(page)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', body).group(1)
    form = urlencode({"csrf_token": token, "email": email, "password": password})
    connection.request(
        "POST",
        "/account/login",
        body=form,
        headers={**AGENT, "Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"},
    )
    answer = connection.getresponse()
    answer.read()
    connection.close()
    if answer.status != 302:
        raise SystemExit(f"the bench client could not sign in ({answer.status})")
    return {**AGENT, "Cookie": _cookies(answer)}


def main() -> None:
    if child():
        return
    parser = options(__doc__)
    parser.add_argument("--cases", type=int, default=500)
    parser.add_argument("--contacts", type=int, default=200)
    parser.add_argument("--messages", type=int, default=200)
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="bench-signed-in-"))
    try:
        from extensions import db
        from tests.factories import PASSWORD

        url = prepare(args.database_url, folder)
        logging.getLogger().setLevel(logging.WARNING)  # a line per stored file and transition would drown the table
        with build_app(url).app_context():
            started = time.perf_counter()
            seeded = seed(args.cases, args.contacts, args.messages)
            if url.startswith("postgresql"):
                db.session.execute(db.text("ANALYZE"))
                db.session.commit()
            print(
                f"seeded {args.cases + 1} cases, {args.contacts + 1} conversations and one of {args.messages} "
                f"messages in {time.perf_counter() - started:.1f} s ({url.split(':')[0]}, {args.server})"
            )
        paths = [
            ("bare Flask endpoint", "/bench/bare"),
            ("notifications (floor)", "/notifications"),
            ("case page", seeded["case"]),
            ("inbox", "/messages/"),
            ("inbox, case threads", "/messages/?tab=cases"),
            (f"conversation ({args.messages} msgs)", seeded["talk"]),
        ]
        with Served(__file__, args.server, url, args.workers, folder / "server.log") as served:
            headers = log_in(served.port, seeded["email"], PASSWORD)
            measure(served.port, paths, args.requests, args.threads, headers, server_pid=served.process.pid)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
