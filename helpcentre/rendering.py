"""Markdown files with a YAML front matter, rendered safely, with the platform's figures filled in.

Raw HTML in the source is shown as text (markdown-it's `html` option is off) and links with a
`javascript:`/`vbscript:`/`file:`/`data:` scheme are refused by markdown-it's link check, so a
file in the repository can never put script or markup on a page. Figures that come from the
configuration (deadlines, retention periods, the operator's details) are written `{{ name }}`
in the text and filled from `platform_values()`, so an article never states a number the
platform does not apply.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from flask import current_app
from markdown_it import MarkdownIt
from markupsafe import Markup

_MARKDOWN = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False}).enable("table")
_FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")

# Configuration keys whose values texts may quote, by the name they are written with.
CONFIG_FIGURES = {
    "accept_within_days": "ACCEPT_WITHIN_DAYS",
    "auto_complete_days": "AUTO_COMPLETE_DAYS",
    "pro_min_reviews": "PRO_MIN_REVIEWS",
    "delivery_grace_days": "DELIVERY_GRACE_DAYS",
    "undelivered_limit_days": "UNDELIVERED_LIMIT_DAYS",
    "escrow_release_days": "ESCROW_RELEASE_DAYS",
    "escrow_limit_days": "ESCROW_LIMIT_DAYS",
    "dispute_answer_days": "DISPUTE_ANSWER_DAYS",
    "share_link_days": "SHARE_LINK_DAYS",
    "patient_file_grace_hours": "PATIENT_FILE_GRACE_HOURS",
    "kyc_abandon_days": "KYC_ABANDON_DAYS",
    "strike_expiry_days": "STRIKE_EXPIRY_DAYS",
    "export_keep_days": "EXPORT_KEEP_DAYS",
    "accounting_retention_years": "ACCOUNTING_RETENTION_YEARS",
    "contract_review_days": "CONTRACT_REVIEW_DAYS",
    "contract_payment_grace_days": "CONTRACT_PAYMENT_GRACE_DAYS",
    "community_new_account_days": "COMMUNITY_NEW_ACCOUNT_DAYS",
    "operator_name": "PLATFORM_LEGAL_NAME",
    "operator_legal_form": "OPERATOR_LEGAL_FORM",
    "operator_address": "PLATFORM_ADDRESS",
    "operator_registration": "PLATFORM_REGISTRATION",
    "operator_vat_number": "PLATFORM_VAT_NUMBER",
    "operator_email": "OPERATOR_EMAIL",
    "operator_director": "OPERATOR_DIRECTOR",
    "host_name": "HOST_NAME",
    "host_address": "HOST_ADDRESS",
}


class UnknownField(KeyError):
    """A text names a `{{ field }}` that no setting provides (a writing mistake, caught by tests)."""


def read_document(path: Path) -> tuple[dict, str]:
    """(front matter, Markdown body) of a file that starts with a `---` delimited YAML block."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        raise ValueError(f"{path}: no front matter")
    head, _sep, body = text[4:].partition("\n---\n")
    meta = yaml.safe_load(head) or {}
    if not isinstance(meta, dict):
        raise ValueError(f"{path}: the front matter is not a mapping")
    return meta, body.strip() + "\n"


# Settings holding address lines separated by ";" (as invoices print them), written on one line here.
_ADDRESS_KEYS = {"PLATFORM_ADDRESS", "HOST_ADDRESS"}


def platform_values() -> dict[str, str]:
    config = current_app.config
    values = {}
    for name, key in CONFIG_FIGURES.items():
        value = str(config.get(key, ""))
        if key in _ADDRESS_KEYS:
            value = ", ".join(line.strip() for line in value.split(";") if line.strip())
        values[name] = value
    return values


def fields_used(body: str) -> set[str]:
    return set(_FIELD.findall(body))


def fill(body: str, values: dict[str, str]) -> str:
    def value(match: re.Match) -> str:
        if match.group(1) not in values:
            raise UnknownField(match.group(1))
        return values[match.group(1)]

    return _FIELD.sub(value, body)


def render_markdown(body: str) -> Markup:
    """Safe HTML of a Markdown body whose fields are filled from the configuration."""
    return Markup(_MARKDOWN.render(fill(body, platform_values())))  # markdown-it escapes raw HTML (html=False)


def plain_text(body: str) -> str:
    """The words of a Markdown body, for search (markup characters dropped)."""
    return re.sub(r"[#*_`>|\[\]()-]+", " ", _FIELD.sub(" ", body))
