"""Who may see and act on a dispute. Deny by default; strangers get a 404, never a 403.

The two parties see their dispute; resolution agents see every dispute and its whole written
record, and rule. An agent reads a file of the case only through the dispute, each download
written to the audit log, and never patient data: scans stay between the two parties.
"""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.accounts import StaffRole, User
from models.cases import Case, CaseFile
from models.disputes import Dispute, DisputeEvidence, DisputeParty
from files.permissions import staff_may_read
from models.files import StoredFile
from models.messaging import Conversation, Message, MessageAttachment


def _signed_in(user: User | None) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.is_active


def party_of(case: Case, user: User | None) -> DisputeParty | None:
    """The user's side in the case's dispute, or None."""
    if not _signed_in(user):
        return None
    if user.id == case.client_id:
        return DisputeParty.client
    if user.id == case.designer_id:
        return DisputeParty.designer
    return None


def is_resolution_agent(user: User | None) -> bool:
    return _signed_in(user) and user.has_staff_power(StaffRole.resolution_agent)


def can_open_dispute(user: User | None, case: Case) -> bool:
    """The client of the case (the state is the case process's check)."""
    return party_of(case, user) == DisputeParty.client


def can_view_dispute(user: User | None, dispute: Dispute) -> bool:
    return party_of(dispute.case, user) is not None or is_resolution_agent(user)


def can_rule(user: User | None, dispute: Dispute) -> bool:
    """A resolution agent who is not a party to the case (an agent may also buy or sell)."""
    return is_resolution_agent(user) and party_of(dispute.case, user) is None


def evidence_file(dispute: Dispute, public_id: str) -> StoredFile | None:
    return db.session.scalar(
        sa.select(StoredFile)
        .join(DisputeEvidence, DisputeEvidence.file_id == StoredFile.id)
        .where(DisputeEvidence.dispute_id == dispute.id, StoredFile.public_id == public_id)
    )


def case_file(dispute: Dispute, public_id: str) -> StoredFile | None:
    """A file of the dispute's case: an attachment or a delivery, or a file sent in its thread."""
    on_case = sa.select(CaseFile.id).where(CaseFile.case_id == dispute.case_id, CaseFile.file_id == StoredFile.id)
    in_thread = (
        sa.select(MessageAttachment.id)
        .join(Message, Message.id == MessageAttachment.message_id)
        .join(Conversation, Conversation.id == Message.conversation_id)
        .where(Conversation.case_id == dispute.case_id, MessageAttachment.file_id == StoredFile.id)
    )
    return db.session.scalar(
        sa.select(StoredFile).where(StoredFile.public_id == public_id, sa.or_(on_case.exists(), in_thread.exists()))
    )


def can_read_evidence(user: User | None, dispute: Dispute, stored: StoredFile) -> bool:
    """Evidence is given to the resolution centre and shown to both parties; staff never open
    a patient's scan, whatever it was sent as."""
    if stored.is_deleted or not can_view_dispute(user, dispute):
        return False
    return party_of(dispute.case, user) is not None or staff_may_read(stored)


def can_read_case_file_for_dispute(user: User | None, dispute: Dispute, stored: StoredFile) -> bool:
    """An agent ruling on the dispute reads the case's deliveries and attachments, never patient data."""
    return can_rule(user, dispute) and not stored.is_deleted and staff_may_read(stored)


def can_download_evidence_pack(user: User | None, dispute: Dispute) -> bool:
    """The parties, once the dispute is ruled (agents export it from the back office, any state)."""
    return party_of(dispute.case, user) is not None and dispute.ruling is not None
