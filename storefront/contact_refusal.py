"""What a view does when the contact filter refuses a text: keep the attempt, show the spans."""

from __future__ import annotations

from markupsafe import Markup, escape

from extensions import commit, db
from screening.contact_filter import ContactDetailsRefused, record_refused_attempt


def keep_refused_attempt(exc: ContactDetailsRefused) -> None:
    """Undo the refused change, then record the attempt for moderators in its own commit."""
    db.session.rollback()
    record_refused_attempt(exc)
    commit()


def highlight_findings(text: str, findings) -> Markup:
    """The text, escaped, with each finding wrapped in <mark> and its reason as a title."""
    out, cursor = [], 0
    for f in sorted(findings, key=lambda f: f.start):
        if f.start < cursor:
            continue
        out.append(escape(text[cursor : f.start]))
        out.append(Markup('<mark class="contact-finding" title="{}">{}</mark>').format(f.reason, text[f.start : f.end]))
        cursor = f.end
    out.append(escape(text[cursor:]))
    return Markup("").join(out)
