"""How the audit log reads to a person: the action in words, the object, the change field by field."""

from __future__ import annotations

import json
from typing import Any

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup

from audit.areas import MODERATION, RESOLUTION, STAFF, SUPPORT, VERIFICATION, prefix_of
from extensions import template_translations

# Action code → what the actor did, as the end of "<actor> <sentence>".
ACTION_WORDS = {
    "profile.submitted": _l("sent the profile for review"),
    "profile.approved": _l("approved the profile"),
    "profile.rejected": _l("rejected the profile"),
    "profile.identity_verified": _l("marked the designer's identity as verified"),
    "profile.identity_unverified": _l("removed the designer's Verified badge"),
    "profile.payouts_ready": _l("marked the designer's payouts as ready"),
    "profile.payouts_not_ready": _l("marked the designer's payouts as not ready"),
    "listing.created": _l("created the listing"),
    "listing.submitted": _l("sent the listing for review"),
    "listing.approved": _l("approved the listing"),
    "listing.rejected": _l("rejected the listing"),
    "listing.paused": _l("paused the listing"),
    "listing.resumed": _l("resumed the listing"),
    "violation.reported": _l("reported a user"),
    "violation.read": _l("opened the violation and the text or thread it flags"),
    "violation.thread_searched": _l("searched the reported conversation and read the messages found"),
    "violation.dismissed": _l("dismissed the violation"),
    "violation.warned": _l("warned the user for the violation"),
    "violation.suspended": _l("suspended the user for the violation"),
    "account.suspended": _l("suspended the account"),
    "account.terminated": _l("terminated the account"),
    "account.reinstated": _l("reinstated the account"),
    "account.suspension_ended": _l("ended the account's suspension"),
    "appeal.filed": _l("appealed the suspension or termination of their account"),
    "appeal.upheld": _l("upheld the decision appealed"),
    "appeal.reinstated": _l("reinstated the account on appeal"),
    "account.email_changed": _l("changed the account's e-mail address"),
    "account.password_changed": _l("changed the account's password"),
    "account.name_changed": _l("changed the account's name"),
    "account.deleted": _l("deleted the account"),
    "account.warned": _l("warned the account holder"),
    "account.sessions_ended": _l("logged the account out of every session"),
    "account.note_added": _l("added a staff note to the account"),
    "verification.submitted": _l("sent identity documents for verification"),
    "verification.document_opened": _l("opened an identity document"),
    "verification.approved": _l("approved the identity verification"),
    "verification.rejected": _l("rejected the identity verification"),
    "verification.abandoned": _l("closed an abandoned identity verification"),
    # A lead gives a queue item to someone (assignment, reassignment, takeover): before/after name the holder.
    "profile.assigned": _l("gave the profile's review to a staff member"),
    "listing.assigned": _l("gave the listing's review to a staff member"),
    "verification.assigned": _l("gave the identity verification to a staff member"),
    "violation.assigned": _l("gave the violation to a staff member"),
    "post.assigned": _l("gave the community post's review to a staff member"),
    "post.created": _l("wrote a community post"),
    "post.removed": _l("removed their community post"),
    "post.approved": _l("approved the community post"),
    "post.rejected": _l("rejected the community post"),
    "post.taken_down": _l("took the community post down"),
    "dispute.assigned": _l("gave the dispute to a resolution agent"),
    "dispute.opened": _l("opened the dispute"),
    "dispute.ruled": _l("ruled on the dispute"),
    "dispute.unanswered": _l("closed the dispute for want of an answer"),
    "dispute.escalated": _l("escalated the dispute"),
    "dispute.file_read": _l("opened a file of the dispute"),
    "case.cancel": _l("cancelled the case"),
    "case.expire": _l("expired the case request"),
    "case.auto_complete": _l("completed the case automatically"),
    "case.dispute": _l("opened a dispute on the case"),
    "case.resolve": _l("resolved the case by a ruling"),
    "case.closed_for_suspension": _l("closed the case because a party was suspended"),
    "contract.expire": _l("expired the monthly contract offer"),
    "contract.renew": _l("renewed the monthly contract for another term"),
    "contract.end": _l("ended the monthly contract"),
    "contract.cancel": _l("cancelled the monthly contract (a month stayed unpaid)"),
    "payment.mismatch": _l("found the ledger and the payment provider disagreeing"),
    "payment.payout_asked_again": _l("asked the refused payout again"),
    "invoice.issued": _l("issued the invoice"),
    "payouts.onboarding_started": _l("started the payout onboarding"),
    "file.deleted": _l("deleted the file"),
    "share_link.delete": _l("deleted the share link"),
    "share_link.expire": _l("expired the share link"),
    "share_link.finish": _l("closed the share link once every file was downloaded"),
    "staff.roles_granted": _l("granted staff roles"),
    "staff.roles_revoked": _l("revoked staff roles"),
    "staff.second_factor_enrolled": _l("enrolled the second factor"),
    "staff.second_factor_reset": _l("reset the second factor"),
    "staff.recovery_code_used": _l("signed in with a recovery code"),
    "macro.created": _l("wrote a canned response"),
    "macro.updated": _l("edited the canned response"),
    "macro.retired": _l("retired the canned response"),
    "quality.reviewed": _l("reviewed a sampled decision of another staff member"),
    "ticket.filed": _l("filed a support ticket"),
    "ticket.confirmed": _l("confirmed the address of a support ticket filed signed out"),
    "ticket.user_replied": _l("answered on the support ticket"),
    "ticket.replied": _l("answered the support ticket"),
    "ticket.solved": _l("marked the support ticket solved"),
    "ticket.assigned": _l("gave the support ticket to a staff member"),
    "ticket.file_read": _l("opened a file sent with a support ticket"),
}

AREA_LABELS = {
    MODERATION: _l("Moderation"),
    VERIFICATION: _l("Identity verification"),
    RESOLUTION: _l("Resolution centre"),
    SUPPORT: _l("Support desk"),
    STAFF: _l("Staff and other"),
}

OBJECT_LABELS = {
    "DesignerProfile": _l("Designer profile"),
    "Listing": _l("Listing"),
    "Violation": _l("Violation"),
    "User": _l("Account"),
    "VerificationSubmission": _l("Identity verification"),
    "Dispute": _l("Dispute"),
    "Case": _l("Case"),
    "StoredFile": _l("File"),
    "ShareLink": _l("Share link"),
    "Invoice": _l("Invoice"),
    "ConnectedAccount": _l("Payout account"),
    "CannedResponse": _l("Canned response"),
    "Appeal": _l("Appeal"),
    "AuditEntry": _l("Decision (audit entry)"),
    "SupportTicket": _l("Support ticket"),
    "Post": _l("Community post"),
}

ROLE_LABELS = {
    "moderator": _l("moderator"),
    "verifier": _l("verifier"),
    "resolution_agent": _l("resolution agent"),
    "support": _l("support"),
    "admin": _l("admin"),
}

# Object type → (back-office endpoint, its id argument). A link is shown only if its page opens for the viewer.
OBJECT_PAGES = {
    "DesignerProfile": ("profile_reviews.detail", "item_id"),
    "Listing": ("listing_reviews.detail", "item_id"),
    "Violation": ("violations.detail", "violation_id"),
    "Appeal": ("appeals.detail", "appeal_id"),
    "User": ("staff_accounts.detail", "user_id"),
    "VerificationSubmission": ("verifications.detail", "submission_id"),
    "Dispute": ("resolution.detail", "dispute_id"),
    "CannedResponse": ("macros.edit", "macro_id"),
    "SupportTicket": ("support_desk.detail", "ticket_id"),
    "Post": ("post_reviews.detail", "item_id"),
}

SHORT = 60  # characters of a value shown in a diff cell


# Catalogue → ACTION_WORDS and OBJECT_LABELS read in it. A loaded catalogue never changes, and the
# log's page reads some three hundred of these texts (its rows, the action filter's choices): each
# lazy string would ask flask_babel for the request's catalogue again.
_read_texts: dict = {}


def _texts() -> tuple[dict[str, str], dict[str, str]]:
    catalogue = template_translations()
    texts = _read_texts.get(catalogue)
    if texts is None:
        texts = _read_texts[catalogue] = (
            {code: str(words) for code, words in ACTION_WORDS.items()},
            {kind: str(label) for kind, label in OBJECT_LABELS.items()},
        )
    return texts


def action_words(action: str) -> str:
    """The sentence for a code; an unknown one still reads as words ("case.x_y" → "case: x y")."""
    words = _texts()[0].get(action)
    if words is not None:
        return words
    prefix, _dot, rest = action.partition(".")
    return _("%(object)s: %(what)s", object=prefix.replace("_", " "), what=rest.replace("_", " ") or prefix)


def object_label(object_type: str) -> str:
    return _texts()[1].get(object_type, object_type)


def object_choices() -> list[tuple[str, Markup]]:
    """The object filter's choices, (type, label) by label; each label shown as its lazy string was."""
    return [(kind, Markup(label)) for kind, label in sorted(_texts()[1].items(), key=lambda kv: kv[1])]


def short(value: Any) -> str:
    """A value as a person reads it, cut at SHORT characters."""
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True)
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def field_changes(before: dict | None, after: dict | None) -> list[tuple[str, str, str]]:
    """(field, before, after) for each field whose value changed, values shortened."""
    before, after = before or {}, after or {}
    fields = list(before) + [key for key in after if key not in before]
    return [
        (field.replace("_", " "), short(before.get(field)), short(after.get(field)))
        for field in fields
        if before.get(field) != after.get(field)
    ]


def action_groups(prefixes: list[str]) -> list[tuple[str, list[tuple[str, str]]]]:
    """The action filter's choices, grouped by object: [(group label, [(code, words)])] for `prefixes`."""
    groups, texts = [], _texts()[0]
    for prefix in prefixes:
        codes = sorted(code for code in ACTION_WORDS if prefix_of(code) == prefix)
        if codes:
            groups.append((prefix.replace("_", " ").capitalize(), [(code, texts[code]) for code in codes]))
    return groups
