"""Outgoing mail: recorded in the unit of work, rendered and delivered by a job after the commit.

The job takes only the mail's id: the body and any mailed link (reset, confirmation) are made
in the job, so Redis never carries them, and a mail marked sent is never sent again on retry.

With MAIL_URL (smtp://user:pass@host:port, smtps://…, ?starttls=1) mail goes through SMTP;
without it each message is written to instance/outbox/ as an .eml file a developer can open.
"""

from __future__ import annotations

import smtplib
import ssl
import uuid
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

import sqlalchemy as sa
from flask import current_app, url_for
from flask_babel import force_locale

from extensions import commit, db
from jobs import enqueue
from jobs.runtime import job
from messaging.mail_context import freeze, thaw
from models.messaging import OutgoingMail
from models.types import utcnow


def send_mail(to: str, template: str, *, locale: str | None = None, **context) -> OutgoingMail:
    """Record a mail of mail/<template>.txt (blocks `subject` and `body`), sent after the commit.

    `context` holds rows, plain values, dates and lazy_gettext texts (see mail_context);
    anything else raises TypeError here, in the caller, not later in the job.
    """
    current_app.jinja_env.get_template(f"mail/{template}.txt")  # a wrong name fails now
    mail = OutgoingMail(
        to_address=to,
        template=template,
        locale=locale or "en",
        context={k: freeze(v) for k, v in context.items()},
        message_id=make_msgid(domain="occlusa"),
    )
    db.session.add(mail)
    db.session.flush()
    enqueue(deliver_mail, mail.id)
    return mail


def public_link(endpoint: str, **values) -> str:
    """An absolute link for a mail, on PUBLIC_URL, whether or not a request is running (jobs, CLI)."""
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        return url_for(endpoint, _external=True, **values)


def render_mail(mail: OutgoingMail) -> tuple[str, str]:
    """(subject, body) of a recorded mail, in its recipient's language, from today's rows."""
    with force_locale(mail.locale):
        tmpl = current_app.jinja_env.get_template(f"mail/{mail.template}.txt")
        context = {k: thaw(v) for k, v in mail.context.items()}
        ctx = tmpl.new_context({**context, "to": mail.to_address, "public_url": current_app.config["PUBLIC_URL"]})
        subject = "".join(tmpl.blocks["subject"](ctx)).strip()
        body = "".join(tmpl.blocks["body"](ctx)).strip() + "\n"
    return subject, body


@job
def deliver_mail(mail_id: int) -> str:
    """Job: render and deliver one recorded mail once; returns where it went ("" if already sent).

    The row stays locked while the mail goes out, so two runs of the job cannot both send it.
    """
    mail = db.session.get(OutgoingMail, mail_id, with_for_update=True)
    if mail is None or mail.sent_at is not None:
        db.session.rollback()
        return ""
    subject, body = render_mail(mail)
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = mail.to_address
    msg["Subject"] = subject
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = mail.message_id
    msg.set_content(body)
    mail.attempts += 1
    where = _hand_over(msg)
    mail.sent_at = utcnow()
    commit()
    return where


def _hand_over(msg: EmailMessage) -> str:
    url = current_app.config.get("MAIL_URL")
    if url:
        _send_smtp(url, msg)
        return "smtp"
    outbox = Path(current_app.config["MAIL_OUTBOX"])
    outbox.mkdir(parents=True, exist_ok=True)
    path = outbox / f"{datetime.now(timezone.utc):%Y%m%dT%H%M%S%f}-{uuid.uuid4().hex[:8]}.eml"
    path.write_bytes(msg.as_bytes())
    return str(path)


def _send_smtp(url: str, msg: EmailMessage) -> None:
    parts = urlparse(url)
    secure = parts.scheme == "smtps"
    port = parts.port or (465 if secure else 25)
    options = parse_qs(parts.query)
    smtp_cls = smtplib.SMTP_SSL if secure else smtplib.SMTP
    with smtp_cls(parts.hostname, port, timeout=30) as smtp:
        if not secure and options.get("starttls", ["0"])[0] in {"1", "true"}:
            smtp.starttls(context=ssl.create_default_context())
        if parts.username:
            smtp.login(unquote(parts.username), unquote(parts.password or ""))
        smtp.send_message(msg)


def resend_unsent_mails(now: datetime) -> int:
    """Sweep: hand again to a job every mail still unsent a while after it was recorded.

    Covers mails whose job was lost (Redis flushed) or failed inline (no Redis, SMTP down);
    deliver_mail is idempotent, so a mail whose first job is merely slow is not sent twice.
    Mails older than two days are left alone: a late password link helps nobody.
    """
    due = db.session.scalars(
        sa.select(OutgoingMail.id)
        .where(
            OutgoingMail.sent_at.is_(None),
            OutgoingMail.created_at <= now - timedelta(minutes=10),
            OutgoingMail.created_at > now - timedelta(days=2),
        )
        .order_by(OutgoingMail.id)
        .limit(500)
    ).all()
    for mail_id in due:
        enqueue(deliver_mail, mail_id)
    return len(due)
