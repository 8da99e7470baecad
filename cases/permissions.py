"""Who may see a case and its files, and what keeps an account from closing. Deny by default."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from extensions import db
from models.accounts import StaffRole, User
from models.cases import OPEN_STATES, Case, CaseFile
from models.files import StoredFile
from models.messaging import Conversation, Message, MessageAttachment


def is_party(user: User | None, case: Case) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and user.id in (case.client_id,
                                                                                          case.designer_id)


def can_view_case(user: User | None, case: Case) -> bool:
    """The two parties; a resolution agent once the case is disputed or resolved (not its files)."""
    if is_party(user, case):
        return True
    return (user is not None and getattr(user, "is_authenticated", False)
            and case.state.value in ("disputed", "resolved") and user.has_staff_power(StaffRole.resolution_agent))


def can_read_case_file(user: User, stored: StoredFile) -> bool:
    """files.permissions READ_RULES entry: a file attached to a case is readable by its two parties."""
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(CaseFile).join(Case, Case.id == CaseFile.case_id)
        .where(CaseFile.file_id == stored.id,
               sa.or_(Case.client_id == user.id, Case.designer_id == user.id))) > 0


def unaccepted_request_obstacle(user: User, stored: StoredFile):
    """files.permissions RECEIVE_RULES entry: the designer of a request not accepted (yet, or
    ever) may preview its patient scans, sent with the order or in its thread, but not
    download them: a download hands them over and they are then deleted for both sides."""
    in_order = sa.select(CaseFile.case_id).where(CaseFile.file_id == stored.id)
    in_thread = (sa.select(Conversation.case_id).join(Message, Message.conversation_id == Conversation.id)
                 .join(MessageAttachment, MessageAttachment.message_id == Message.id)
                 .where(MessageAttachment.file_id == stored.id))
    unaccepted = db.session.scalar(
        sa.select(sa.func.count()).select_from(Case)
        .where(sa.or_(Case.id.in_(in_order), Case.id.in_(in_thread)),
               Case.designer_id == user.id, Case.accepted_at.is_(None)))
    if unaccepted:
        return _l("Accept the request to download the client's scans. Until then you can view them in 3D.")
    return None


def closing_obstacle(user: User):
    """accounts CLOSING_CHECKS entry: open cases (and the money they hold) keep an account open."""
    open_cases = db.session.scalar(
        sa.select(sa.func.count()).select_from(Case)
        .where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id), Case.state.in_(OPEN_STATES)))
    if open_cases:
        return _l("%(n)d case(s) are still open (awaiting acceptance, in progress, delivered or disputed); "
                  "they must be completed, cancelled or resolved first.", n=open_cases)
    return None
