"""Who may see a case and its files, and what keeps an account from closing. Deny by default.

Lab teams (teams/): the other members of the CLIENT's organisation read the client's cases
(case page, thread, invoices the client received, delivered designs) but act on none of them:
paying, accepting a delivery, completing and disputing stay with the account that sent the case.
Patient scans and every file the client attached stay with the case's two parties only
("readable by the two parties of their case"). This module is the one place saying so.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from extensions import db
from models.accounts import StaffRole, User
from models.cases import OPEN_STATES, Case, CaseFile, CaseFileRole
from models.files import StoredFile
from models.messaging import Conversation, Message, MessageAttachment
from teams.operations import same_organisation


def is_party(user: User | None, case: Case) -> bool:
    return (
        user is not None and getattr(user, "is_authenticated", False) and user.id in (case.client_id, case.designer_id)
    )


def is_client_teammate(user: User | None, case: Case) -> bool:
    """Another member of the organisation of the account that sent the case (read-only access)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and user.is_active
        and same_organisation(user.id, case.client_id)
    )


def can_view_case(user: User | None, case: Case) -> bool:
    """The two parties; the client's teammates (reading); a resolution agent once the case is
    disputed or resolved (not its files)."""
    if is_party(user, case) or is_client_teammate(user, case):
        return True
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and case.state.value in ("disputed", "resolved")
        and user.has_staff_power(StaffRole.resolution_agent)
    )


def teammate_reads_case_thread(user: User, conversation: Conversation) -> bool:
    """hooks.conversation_read_rules rule: the client's teammates read the case thread
    (its attachments stay with the participants: messaging.attachments)."""
    if conversation.case_id is None:
        return False
    case = db.session.get(Case, conversation.case_id)
    return case is not None and is_client_teammate(user, case)


def teammate_may_read(case_file: CaseFile, stored: StoredFile) -> bool:
    """Of a case's files, the client's teammates read the delivered designs only (never a scan)."""
    return case_file.role == CaseFileRole.delivery and not stored.is_patient_data


def can_read_case_link(user: User | None, case: Case, case_file: CaseFile) -> bool:
    """May `user` download this file of this case (the case's own download route)?"""
    if case_file.file.is_deleted:
        return False
    if is_party(user, case):
        return True
    return teammate_may_read(case_file, case_file.file) and is_client_teammate(user, case)


def can_read_case_file(user: User, stored: StoredFile) -> bool:
    """hooks.file_read_rules rule: a file attached to a case is readable by its two
    parties, and a delivered design also by the client's teammates."""
    if (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(CaseFile)
            .join(Case, Case.id == CaseFile.case_id)
            .where(CaseFile.file_id == stored.id, sa.or_(Case.client_id == user.id, Case.designer_id == user.id))
        )
        > 0
    ):
        return True
    if stored.is_patient_data:
        return False
    return any(
        teammate_may_read(link, stored) and is_client_teammate(user, link.case)
        for link in db.session.scalars(sa.select(CaseFile).where(CaseFile.file_id == stored.id))
    )


def unaccepted_request_obstacle(user: User, stored: StoredFile):
    """hooks.file_receive_rules rule: the designer of a request not accepted (yet, or
    ever) may preview its patient scans, sent with the order or in its thread, but not
    download them: a download hands them over and they are then deleted for both sides."""
    in_order = sa.select(CaseFile.case_id).where(CaseFile.file_id == stored.id)
    in_thread = (
        sa.select(Conversation.case_id)
        .join(Message, Message.conversation_id == Conversation.id)
        .join(MessageAttachment, MessageAttachment.message_id == Message.id)
        .where(MessageAttachment.file_id == stored.id)
    )
    unaccepted = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Case)
        .where(
            sa.or_(Case.id.in_(in_order), Case.id.in_(in_thread)),
            Case.designer_id == user.id,
            Case.accepted_at.is_(None),
        )
    )
    if unaccepted:
        return _l("Accept the request to download the client's scans. Until then you can view them in 3D.")
    return None


def closing_obstacle(user: User):
    """hooks.closing_checks check: open cases (and the money they hold) keep an account open."""
    open_cases = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Case)
        .where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id), Case.state.in_(OPEN_STATES))
    )
    if open_cases:
        return _l(
            "%(n)d case(s) are still open (awaiting acceptance, in progress, delivered or disputed); "
            "they must be completed, cancelled or resolved first.",
            n=open_cases,
        )
    return None
