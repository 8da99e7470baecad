"""The review process of designer profiles and listings: one table for both.

A designer edits a working copy (draft), sends it for review (pending), and a moderator
approves it (the version clients see) or rejects it with reasons and a note; any edit makes it
a draft again, while the last approved version stays public. The verbs are
profiles.operations and listings.operations (each adds its own fields: what is missing for a
review, the public snapshot, the catalogue); moderation.review holds the claim around a decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Callable

from models.profiles import ReviewState
from audit.trail import record_action
from transitions import Move, Process, Table, step

S = ReviewState
OWNER, MODERATOR = "owner", "moderator"


class ReviewAction(StrEnum):
    """The actions of the review table."""

    edit = "edit"
    submit = "submit"
    approve = "approve"
    reject = "reject"


A = ReviewAction

# (state, action)            → next state      who may     effect after the move
TRANSITIONS = Table(
    {
        (S.draft, A.edit): step(S.draft, OWNER),
        (S.pending, A.edit): step(S.draft, OWNER),  # leaves the queue until sent again
        (S.approved, A.edit): step(S.draft, OWNER),  # the approved version stays public meanwhile
        (S.rejected, A.edit): step(S.draft, OWNER),
        (S.draft, A.submit): step(S.pending, OWNER),
        (S.rejected, A.submit): step(S.pending, OWNER),
        (S.pending, A.approve): step(S.approved, MODERATOR, "publish"),
        (S.pending, A.reject): step(S.rejected, MODERATOR),
    }
)
AUDITED = {A.submit: "submitted", A.approve: "approved", A.reject: "rejected"}


@dataclass(frozen=True)
class Words:
    """What a refused review action says, for one kind of item."""

    already_pending: str
    approved_as_is: str
    not_pending: Callable[[str], str]  # the item's state → "not waiting for review (it is …)"
    denied: str


def _refused(words: Words) -> Callable[[Any, str], str]:
    def refused(item, action: str) -> str:
        if action == A.submit:
            return words.already_pending if item.state == S.pending else words.approved_as_is
        return words.not_pending(item.state.value)

    return refused


def _announcer(kind: str, tell_owner: Callable[..., None]) -> Callable[[Move], None]:
    """The event of a review move: an audit row (not for edits) and, on a decision, a mail."""

    def announce(move: Move) -> None:
        item, action = move.obj, move.action
        if action == A.edit:
            return
        after: dict = {"state": move.after.value}
        reason = None
        if action == A.approve and move.params.get("bulk"):
            # A bulk decision says so in the audit log: no one opened this item's page.
            after["bulk"] = True
            reason = "bulk approval of a small edit"
        if action == A.reject:
            after["reasons"] = item.rejection_reasons
            reason = item.rejection_note
        record_action(
            f"{kind}.{AUDITED[action]}",
            item,
            actor=move.actor,
            before={"state": move.before.value},
            after=after,
            reason=reason,
        )
        if action in (A.approve, A.reject):
            tell_owner(item, approved=action == A.approve)

    return announce


def review_process(
    kind: str,
    *,
    lock: Callable[[Any], Any],
    words: Words,
    fields: dict[str, Callable[..., dict | None]],
    publish: Callable[[Move], None],
    tell_owner: Callable[..., None],
) -> Process:
    """The review Process of one kind of item ("profile", "listing": the audit rows' prefix)."""
    return Process(
        kind,
        TRANSITIONS,
        lock=lock,
        event=_announcer(kind, tell_owner),
        refused=_refused(words),
        denied=words.denied,
        fields=fields,
        effects={"publish": publish},
    )


def rejected(item, *, reasons: list[str], note: str = "", **_params) -> None:
    """The fields a rejection writes: its reasons (the verb checked them), deduplicated, and the note."""
    item.rejection_reasons = list(dict.fromkeys(reasons))
    item.rejection_note = (note or "").strip() or None


def clear_rejection(item) -> None:
    item.rejection_reasons, item.rejection_note = [], None
