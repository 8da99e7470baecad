"""Outgoing mail: rendered in the recipient's language, delivered by a job after the commit.

With MAIL_URL (smtp://user:pass@host:port, smtps://…, ?starttls=1) mail goes through SMTP;
without it each message is written to instance/outbox/ as an .eml file a developer can open.
"""
from __future__ import annotations

import smtplib
import ssl
import uuid
from datetime import datetime, timezone
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from flask import current_app, render_template
from flask_babel import force_locale

from jobs import enqueue
from jobs.runtime import job


def send_mail(to: str, template: str, *, locale: str | None = None, **context) -> None:
    """Render mail/<template>.txt (blocks `subject` and `body`) and send it after the commit."""
    with force_locale(locale or "en"):
        tmpl = current_app.jinja_env.get_template(f"mail/{template}.txt")
        ctx = tmpl.new_context({**context, "public_url": current_app.config["PUBLIC_URL"]})
        subject = "".join(tmpl.blocks["subject"](ctx)).strip()
        body = "".join(tmpl.blocks["body"](ctx)).strip() + "\n"
    enqueue(deliver_mail, {"to": to, "subject": subject, "body": body})


@job
def deliver_mail(message: dict) -> str:
    """Job: deliver one rendered message; returns where it went."""
    msg = EmailMessage()
    msg["From"] = current_app.config["MAIL_FROM"]
    msg["To"] = message["to"]
    msg["Subject"] = message["subject"]
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="occlusa")
    msg.set_content(message["body"])
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
