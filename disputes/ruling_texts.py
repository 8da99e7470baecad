"""Canned reasonings an agent starts from, per outcome, in English and in French: picked in
the ruling form, then edited to the case."""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from disputes.rules import OUTCOME_LABELS
from models.disputes import RulingOutcome

LANGUAGES = (("en", "English"), ("fr", "Français"))

CANNED = {
    RulingOutcome.refund: (
        (
            "refund-not-delivered",
            _l("Not delivered"),
            _l(
                "The design was not delivered in a usable form within the agreed time, so the whole amount is "
                "refunded to the client."
            ),
        ),
        (
            "refund-prescription",
            _l("Prescription not followed"),
            _l(
                "The delivered design does not follow the prescription on the points the client raised, and the "
                "revisions did not correct them. The whole amount is refunded to the client."
            ),
        ),
    ),
    RulingOutcome.pay_designer: (
        (
            "pay-as-prescribed",
            _l("Delivered as prescribed"),
            _l(
                "The delivered design follows the prescription and is of usable quality; the record does not "
                "support the client's objections. The designer is paid in full."
            ),
        ),
        (
            "pay-revisions-unused",
            _l("Revisions not asked for"),
            _l(
                "The designer delivered on time and offered the revisions included, which the client did not ask "
                "for. The designer is paid in full."
            ),
        ),
    ),
    RulingOutcome.split: (
        (
            "split-partly-usable",
            _l("Partly usable"),
            _l(
                "The design was delivered, but only part of it is usable as prescribed. The amount is split to "
                "reflect the work that can be used."
            ),
        ),
        (
            "split-shared",
            _l("Shared responsibility"),
            _l(
                "Both parties share responsibility: the scan had gaps, and the design did not point them out before "
                "delivery. The amount is split between them."
            ),
        ),
    ),
}


def canned_reasonings() -> list[dict]:
    """Every canned text in every language, labelled in its language: [{key, lang, language,
    outcome, label, text}]."""
    found = []
    for lang, language in LANGUAGES:
        with force_locale(lang):
            for outcome, texts in CANNED.items():
                for key, label, text in texts:
                    found.append(
                        {
                            "key": f"{key}-{lang}",
                            "lang": lang,
                            "language": language,
                            "outcome": outcome.value,
                            "label": f"{OUTCOME_LABELS[outcome]}: {label}",
                            "text": str(text),
                        }
                    )
    return found
