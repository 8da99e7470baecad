"""The platform's first rule where text enters: contact details are refused and recorded.

`screen_text` runs the contact filter (nlp) on the fields of what a user is about to save
or send. If it finds anything it raises ContactDetailsRefused, carrying the findings per
field so the form can underline them. The caller rolls back what it was doing and calls
`record_refused_attempt(exc)` in a fresh unit of work, so the attempt is kept for
moderators even though the text itself was not accepted.
"""

from __future__ import annotations

from flask import current_app
from flask_babel import lazy_gettext as _l

from errors import DomainError
from extensions import db
from models.accounts import User
from models.moderation import Violation, ViolationSource

# Imported with this module, so a worker builds the filter's matchers when it starts, not
# on the first message it screens (issue #17: first call within 200 ms).
from nlp import find_contacts


class ContactDetailsRefused(DomainError):
    """The text carries contact details or an off-platform request; nothing was saved."""

    def __init__(
        self,
        findings: dict,
        *,
        author_id: int | None,
        source: ViolationSource,
        source_ref: str | None,
        texts: dict[str, str],
    ):
        super().__init__(
            _l(
                "Sharing contact details (e-mail, phone, messaging apps, social media, links) or "
                "arranging contact or payment outside Occlusa is not allowed. Please remove the "
                "highlighted parts."
            )
        )
        self.findings = findings
        self.author_id = author_id
        self.source = source
        self.source_ref = source_ref
        self.texts = texts


def screen_text(
    fields: dict[str, str | None],
    *,
    author: User | None,
    source: ViolationSource,
    source_ref: str | None = None,
    lang: str | None = None,
) -> None:
    """Raise ContactDetailsRefused if any field carries contact details; return None when clean.

    `author` is None for text written before an account exists (the name given at sign-up):
    it is refused the same way, and there is nobody to record a violation against."""
    allowed = current_app.config.get("PLATFORM_DOMAINS", ())
    found = {}
    texts = {}
    for name, text in fields.items():
        if not text:
            continue
        findings = find_contacts(text, lang, allowed_domains=allowed)
        if findings:
            found[name] = findings
            texts[name] = text
    if found:
        raise ContactDetailsRefused(
            found, author_id=author.id if author else None, source=source, source_ref=source_ref, texts=texts
        )


def record_refused_attempt(exc: ContactDetailsRefused) -> Violation | None:
    """Keep the refused attempt for moderators (call after rolling back the refused change)."""
    if exc.author_id is None:
        return None
    violation = Violation(
        user_id=exc.author_id,
        source=exc.source,
        source_ref=exc.source_ref,
        text="\n\n".join(f"[{name}] {text}" for name, text in exc.texts.items()),
        findings=[
            {"field": name, "kind": f.kind, "start": f.start, "end": f.end, "text": f.text, "reason": f.reason}
            for name, findings in exc.findings.items()
            for f in findings
        ],
    )
    db.session.add(violation)
    db.session.flush()
    return violation
