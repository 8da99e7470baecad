"""The written record a resolution agent rules on, and reading its files.

"What is written is what counts": the prescription and instructions, every message of the
case thread, every file and delivery, the revision requests and the timeline of events,
then both statements, the evidence and the proposals. Files are read through the dispute:
evidence by both parties and agents, the case's own files by agents (never patient data),
each agent download written to the audit log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from disputes.permissions import (
    can_read_case_file_for_dispute,
    can_read_evidence,
    can_view_dispute,
    case_file,
    evidence_file,
    is_resolution_agent,
)
from errors import NotFound
from extensions import db
from files.handover import record_download
from files.operations import open_file
from messaging.permissions import can_read_conversation
from messaging.threads import case_thread, thread_items
from models.accounts import User
from models.cases import CaseEvent, CaseFile
from models.disputes import Dispute
from models.files import StoredFile
from models.messaging import Message, MessageAttachment

THREAD_LIMIT = 2000  # a case thread is read whole by the agent; this only bounds a runaway one


@dataclass
class WrittenRecord:
    dispute: Dispute
    thread: list  # messaging.threads.ThreadItem, oldest first (messages and events)
    events: list[CaseEvent]
    case_files: list[CaseFile]
    thread_files: list[StoredFile]  # files sent in the case thread
    readable: bool  # False when messaging refused the thread to this agent


def written_record(dispute: Dispute, *, viewer: User) -> WrittenRecord:
    """Everything written on the dispute's case, for a resolution agent. Raises NotFound otherwise."""
    if not is_resolution_agent(viewer):
        raise NotFound(_l("This dispute does not exist."))
    conversation = case_thread(dispute.case_id)
    readable = conversation is not None and can_read_conversation(viewer, conversation)
    thread = thread_items(conversation, viewer=viewer, limit=THREAD_LIMIT) if readable else []
    events = list(
        db.session.scalars(
            sa.select(CaseEvent).where(CaseEvent.case_id == dispute.case_id).order_by(CaseEvent.at, CaseEvent.id)
        )
    )
    thread_files = (
        list(
            db.session.scalars(
                sa.select(StoredFile)
                .join(MessageAttachment, MessageAttachment.file_id == StoredFile.id)
                .join(Message, Message.id == MessageAttachment.message_id)
                .where(Message.conversation_id == conversation.id)
                .order_by(MessageAttachment.id)
            )
        )
        if readable
        else []
    )
    return WrittenRecord(
        dispute=dispute,
        thread=thread,
        events=events,
        case_files=list(dispute.case.files),
        thread_files=thread_files,
        readable=readable,
    )


def read_dispute_file(dispute: Dispute, public_id: str, *, actor: User) -> tuple[StoredFile, Iterator[bytes]]:
    """Open a file of the dispute for `actor`: evidence (parties and agents) or, for an agent,
    a file of the case. Logs the download; an agent's is also written to the audit log.
    Raises NotFound for anything else (a stranger, another case's file, patient data)."""
    if not can_view_dispute(actor, dispute):
        raise NotFound(_l("This file does not exist."))
    stored = evidence_file(dispute, public_id)
    allowed = stored is not None and can_read_evidence(actor, dispute, stored)
    if not allowed:
        stored = case_file(dispute, public_id)
        allowed = stored is not None and can_read_case_file_for_dispute(actor, dispute, stored)
    if not allowed:
        raise NotFound(_l("This file does not exist."))
    chunks = open_file(stored)
    record_download(stored, first_byte=0, bytes_sent=stored.size, reader=actor)
    if is_resolution_agent(actor) and actor.id not in (dispute.case.client_id, dispute.case.designer_id):
        record_action(
            "dispute.file_read",
            stored,
            actor=actor,
            reason=f"dispute {dispute.id}",
            after={"dispute": dispute.id, "case": dispute.case_id, "name": stored.original_name},
        )
    return stored, chunks
