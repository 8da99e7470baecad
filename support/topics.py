"""What a ticket is about, as the contact form and the back office name it."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

TOPICS = [
    ("payments", _l("Payments and payouts")),
    ("verification", _l("Identity verification")),
    ("account", _l("Account, log-in and suspension")),
    ("case", _l("A case")),
    ("bug", _l("Something does not work (a bug)")),
    ("other", _l("Something else")),
]
TOPIC_LABELS = dict(TOPICS)
