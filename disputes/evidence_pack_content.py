"""What an evidence pack says: the dispute's written record as lines of text, in order.

The dispute and the case, the prescription, the timeline of case events, the case thread's
messages (read in batches by id, so a long thread never sits in memory whole), deliveries and
revision requests, every file with its name, size and SHA-256, the statements, the evidence,
the settlement proposals and the ruling with the money the ledger moved. Never a file's
content. A deleted file says so and keeps its recorded hash; a deleted patient scan's name
is gone (the platform drops it on deletion) and reads "Deleted file".

Lines come out wrapped to the pack's width and made printable; headings carry the HEADING mark.
"""

from __future__ import annotations

import json
import textwrap
from datetime import datetime
from typing import Iterator

import sqlalchemy as sa
from flask_babel import gettext as _
from sqlalchemy.orm import selectinload

from disputes import rules
from disputes.evidence_pack_pdf import HEADING, LINE_WIDTH, printable
from extensions import db
from messaging.events import case_action_label
from messaging.threads import case_thread
from models.accounts import User
from models.cases import CaseEvent, CaseFile, CaseFileRole
from models.disputes import Dispute, DisputeParty, ProposalStatus
from models.files import StoredFile
from models.messaging import Message, MessageAttachment
from payments.case_money import case_money, format_money

BATCH = 200  # messages or events read at a time


def when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M UTC") if at is not None else "—"


def _wrap(text: str, indent: int = 0, *, hang: int = 0) -> Iterator[str]:
    """`text` (any number of paragraphs) as printable lines of the pack's width, the lines
    after a paragraph's first indented `hang` more."""
    pad = " " * indent
    for paragraph in printable_paragraphs(text):
        yield from textwrap.wrap(
            paragraph,
            LINE_WIDTH,
            initial_indent=pad,
            subsequent_indent=pad + " " * hang,
            break_long_words=True,
            break_on_hyphens=False,
        ) or [pad]


def printable_paragraphs(text: str) -> list[str]:
    return [printable(part) for part in (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def _heading(title: str) -> Iterator[str]:
    yield ""
    for line in _wrap(title):
        yield HEADING + line


def _name(user: User | None, dispute: Dispute) -> str:
    """Who did it, as the parties may read it: a party by name, staff as the resolution centre."""
    if user is None:
        return _("the platform")
    if user.id in (dispute.case.client_id, dispute.case.designer_id):
        return user.display_name
    return _("the resolution centre")


def _party_label(party: DisputeParty) -> str:
    return _("client") if party == DisputeParty.client else _("designer")


def file_lines(stored: StoredFile, *, name: str | None = None, indent: int = 2) -> Iterator[str]:
    """A file as the pack lists it: name, size, SHA-256, and whether it was deleted."""
    shown = (name if name is not None else stored.original_name) or _("Deleted file")
    facts = [shown, _("%(size)d bytes", size=stored.size)]
    if stored.is_patient_data:
        facts.append(_("patient scan"))
    if stored.is_deleted:
        facts.append(_("deleted %(at)s", at=when(stored.deleted_at)))
    yield from _wrap(" · ".join(facts), indent)
    yield " " * (indent + 2) + "SHA-256 " + (stored.sha256 or _("not recorded"))


def pack_lines(dispute: Dispute) -> Iterator[str]:
    """Every line of the pack's content, in order."""
    case = dispute.case
    yield from _overview(dispute)
    yield from _heading(_("Prescription and instructions"))
    for key, value in sorted((case.prescription or {}).items()):
        yield from _wrap(f"{key}: {json.dumps(value, ensure_ascii=False, sort_keys=True)}", 2)
    yield from _wrap(case.instructions or _("No instructions."), 2)
    yield from _heading(_("Files sent with the order"))
    for case_file in db.session.scalars(
        sa.select(CaseFile)
        .options(selectinload(CaseFile.file))
        .where(CaseFile.case_id == case.id, CaseFile.role == CaseFileRole.attachment)
        .order_by(CaseFile.id)
    ):
        yield from file_lines(case_file.file)
    yield from _deliveries(dispute)
    yield from _timeline(dispute)
    yield from _thread(dispute)
    yield from _statements(dispute)
    yield from _proposals(dispute)
    yield from _ruling(dispute)


def _overview(dispute: Dispute) -> Iterator[str]:
    case = dispute.case
    yield from _heading(_("Dispute"))
    for label, value in (
        (_("Case"), f"{case.reference} · {case.listing_title}"),
        (_("Client"), _name(case.client, dispute)),
        (_("Designer"), _name(case.designer, dispute)),
        (_("Price"), format_money(case.amount_cents, case.currency)),
        (_("Reason"), rules.reason_label(dispute.reason)),
        (_("State"), str(rules.STATE_LABELS[dispute.state])),
        (_("Opened"), f"{when(dispute.opened_at)} · {_name(dispute.opened_by, dispute)}"),
        (_("Answer due"), when(dispute.answer_due_at)),
        (_("Closed"), when(dispute.closed_at)),
    ):
        yield from _wrap(f"{label}: {value}", 2)


def _deliveries(dispute: Dispute) -> Iterator[str]:
    yield from _heading(_("Deliveries and revision requests"))
    for delivery in dispute.case.deliveries:
        yield from _wrap(_("Delivery %(number)d · %(at)s", number=delivery.number, at=when(delivery.delivered_at)), 2)
        if delivery.note:
            yield from _wrap(delivery.note, 4)
        for case_file in db.session.scalars(
            sa.select(CaseFile)
            .options(selectinload(CaseFile.file))
            .where(CaseFile.delivery_id == delivery.id)
            .order_by(CaseFile.id)
        ):
            yield from file_lines(case_file.file, indent=4)
        if delivery.revision_request:
            yield from _wrap(_("Revision requested:"), 4)
            yield from _wrap(delivery.revision_request, 6)


def _timeline(dispute: Dispute) -> Iterator[str]:
    yield from _heading(_("Timeline of the case"))
    last = 0
    while True:
        events = list(
            db.session.scalars(
                sa.select(CaseEvent)
                .options(selectinload(CaseEvent.actor))
                .where(CaseEvent.case_id == dispute.case_id, CaseEvent.id > last)
                .order_by(CaseEvent.id)
                .limit(BATCH)
            )
        )
        for event in events:
            moved = f"{event.from_state or '—'} → {event.to_state}"
            said = f"{when(event.at)} · {_name(event.actor, dispute)} · {case_action_label(event.action)} · {moved}"
            yield from _wrap(said, 2, hang=2)
            if event.note:
                yield from _wrap(event.note, 4)
            db.session.expunge(event)
        if len(events) < BATCH:
            return
        last = events[-1].id


def _thread(dispute: Dispute) -> Iterator[str]:
    yield from _heading(_("The case thread"))
    conversation = case_thread(dispute.case_id)
    if conversation is None:
        return
    last = 0
    while True:
        messages = list(
            db.session.scalars(
                sa.select(Message)
                .options(selectinload(Message.attachments).selectinload(MessageAttachment.file))
                .where(Message.conversation_id == conversation.id, Message.id > last)
                .order_by(Message.id)
                .limit(BATCH)
            )
        )
        for message in messages:
            yield from _wrap(f"{when(message.created_at)} · {_name(message.sender, dispute)}", 2)
            yield from _wrap(message.body, 4)
            for attachment in message.attachments:
                yield from file_lines(attachment.file, name=attachment.name, indent=4)
        for message in messages:
            db.session.expunge(message)
        if len(messages) < BATCH:
            return
        last = messages[-1].id


def _statements(dispute: Dispute) -> Iterator[str]:
    yield from _heading(_("The client's statement"))
    yield from _wrap(
        dispute.client_statement or _("The platform opened this dispute; there is no statement from the client."), 2
    )
    yield from _heading(_("The designer's answer"))
    if dispute.designer_answer:
        yield from _wrap(_("Answered %(at)s", at=when(dispute.answered_at)), 2)
        yield from _wrap(dispute.designer_answer, 2)
    else:
        yield from _wrap(_("No answer."), 2)
    yield from _heading(_("Evidence"))
    for evidence in dispute.evidence:
        yield from _wrap(f"{_party_label(evidence.party)} · {when(evidence.added_at)}", 2)
        yield from file_lines(evidence.file, indent=4)


PROPOSAL_STATUS = {
    ProposalStatus.open: lambda: _("open"),
    ProposalStatus.accepted: lambda: _("accepted"),
    ProposalStatus.withdrawn: lambda: _("withdrawn"),
    ProposalStatus.superseded: lambda: _("replaced by a newer proposal"),
}


def _proposals(dispute: Dispute) -> Iterator[str]:
    yield from _heading(_("Settlement proposals"))
    currency = dispute.case.currency
    for proposal in dispute.proposals:
        yield from _wrap(
            _(
                "%(at)s · %(who)s proposes %(amount)s to the designer, the rest refunded · %(status)s",
                at=when(proposal.created_at),
                who=_name(proposal.proposer, dispute),
                amount=format_money(proposal.designer_cents, currency),
                status=PROPOSAL_STATUS[proposal.status](),
            ),
            2,
            hang=2,
        )
        if proposal.note:
            yield from _wrap(proposal.note, 4)


def _ruling(dispute: Dispute) -> Iterator[str]:
    yield from _heading(_("The ruling"))
    ruling = dispute.ruling
    if ruling is None:
        yield from _wrap(_("No ruling yet."), 2)
        return
    money = case_money(dispute.case)
    decided = f"{rules.OUTCOME_LABELS[ruling.outcome]} · {when(ruling.ruled_at)} · {_name(ruling.agent, dispute)}"
    yield from _wrap(decided, 2, hang=2)
    for label, cents in (
        (_("Captured from the client"), money.captured_cents),
        (_("Refunded to the client"), money.refunded_cents),
        (_("To the designer"), money.designer_gross_cents),
        (_("Platform fee on that part"), money.fee_cents),
        (_("Paid to the designer"), money.designer_net_cents),
    ):
        yield from _wrap(f"{label}: {format_money(cents, money.currency)}", 2)
    yield from _wrap(_("Reasoning:"), 2)
    yield from _wrap(ruling.reasoning, 4)
