"""Evidence requests: a resolution agent asks one party for specific evidence by a date.

The party answers once, with a text (through the contact filter, as every dispute text) and
files stored as the dispute's evidence (disputes/evidence.py: never a patient scan, since
staff read evidence). A request still unanswered on its date is flagged by the sweep
(jobs/sweep.py, registered in registrations.py); a late answer is still taken while no one has ruled. While requests
run, the ruling is due later (disputes/ruling_due.py).

Shape as in disputes.operations: lock the case then the dispute (then the request) → guard →
change → flush → audit row and notice; the caller commits once.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from audit.trail import record_action
from disputes import rules
from disputes.evidence import PATIENT_SCAN_REFUSED, Upload, attach_evidence
from disputes.operations import dispute_url, lock_dispute
from disputes.permissions import can_rule, party_of
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import commit, db
from messaging.notify import notify
from models.accounts import User
from models.disputes import Dispute, DisputeParty, EvidenceRequest
from models.files import FileKind
from models.moderation import ViolationSource
from models.types import utcnow
from screening.contact_filter import screen_text

log = logging.getLogger(__name__)

MIN_DAYS, MAX_DAYS = 1, 14
MIN_WHAT, MAX_TEXT = 10, 5000
MIN_ANSWER = 10
ANCHOR = "#evidence-requests"
BACKOFFICE_PATH = "/backoffice/resolution/{id}"

PARTY_LABELS = {DisputeParty.client: _l("The client"), DisputeParty.designer: _l("The designer")}


def requests_of(dispute: Dispute) -> list[EvidenceRequest]:
    return list(
        db.session.scalars(
            sa.select(EvidenceRequest).where(EvidenceRequest.dispute_id == dispute.id).order_by(EvidenceRequest.id)
        )
    )


def is_overdue(request: EvidenceRequest, now: datetime) -> bool:
    return request.answered_at is None and request.due_at <= now


def _require_active(dispute: Dispute) -> None:
    if not dispute.is_active:
        raise InvalidTransition(_l("This dispute is closed: %(state)s.", state=rules.STATE_LABELS[dispute.state]))


def _lock_request(request: EvidenceRequest) -> tuple[Dispute, EvidenceRequest]:
    dispute = lock_dispute(request.dispute)
    request = db.session.execute(
        sa.select(EvidenceRequest)
        .where(EvidenceRequest.id == request.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).scalar_one()
    return dispute, request


def request_evidence(
    dispute: Dispute, *, actor: User, party: DisputeParty | str, what: str, due_days: int, now: datetime | None = None
) -> EvidenceRequest:
    """A resolution agent asks `party` for evidence, to be given within `due_days` (1–14 days);
    the party is notified. Raises PermissionDenied (not an agent with the second factor, or
    a party to the case), InvalidTransition (closed), DomainError (party, text, days)."""
    now = now or utcnow()
    if not can_rule(actor, dispute):
        raise PermissionDenied(_l("Only a resolution agent who is not a party can ask for evidence."))
    dispute = lock_dispute(dispute)
    _require_active(dispute)
    try:
        party = DisputeParty(party)
    except ValueError:
        raise DomainError(_l("Choose the party you ask."), field="party") from None
    what = (what or "").strip()
    if not MIN_WHAT <= len(what) <= MAX_TEXT:
        raise DomainError(_l("Say what evidence you need (at least %(n)d characters).", n=MIN_WHAT), field="what")
    if isinstance(due_days, bool) or not isinstance(due_days, int) or not MIN_DAYS <= due_days <= MAX_DAYS:
        raise DomainError(
            _l("The party answers within %(min)d to %(max)d days.", min=MIN_DAYS, max=MAX_DAYS), field="due_days"
        )
    request = EvidenceRequest(
        dispute_id=dispute.id,
        party=party,
        asked_by_id=actor.id,
        what=what,
        asked_at=now,
        due_at=now + timedelta(days=due_days),
    )
    db.session.add(request)
    db.session.flush()
    record_action(
        "dispute.evidence_requested",
        dispute,
        actor=actor,
        after={"request": request.id, "party": party.value, "due_at": request.due_at.isoformat()},
        reason=what,
    )
    case = dispute.case
    notify(
        case.client if party == DisputeParty.client else case.designer,
        "evidence_requested",
        title=_l("The resolution centre asks you for evidence on case %(ref)s", ref=case.reference),
        body=_l(
            "Answer by %(date)s on the dispute page: %(what)s",
            date=request.due_at.strftime("%Y-%m-%d %H:%M UTC"),
            what=what,
        ),
        url=dispute_url(dispute) + ANCHOR,
        case_id=case.id,
    )
    return request


def answer_evidence_request(
    request: EvidenceRequest,
    *,
    actor: User,
    text: str,
    files: list[Upload] = (),
    kind: FileKind | str | None = None,
    now: datetime | None = None,
) -> EvidenceRequest:
    """The party asked answers with a text and files (designs, screenshots, documents). `kind`
    is what the party says the files are: patient scans are refused, as evidence is read by
    staff. Raises NotFound (a stranger), PermissionDenied (the other party), InvalidTransition
    (answered, closed), DomainError (short text, patient scans, files), ContactDetailsRefused."""
    now = now or utcnow()
    dispute, request = _lock_request(request)
    side = party_of(dispute.case, actor)
    if side is None:
        raise NotFound(_l("This dispute does not exist."))
    if side != request.party:
        raise PermissionDenied(_l("This request is addressed to the other party."))
    _require_active(dispute)
    if request.answered_at is not None:
        raise InvalidTransition(_l("You have already answered this request."))
    text = (text or "").strip()
    if not MIN_ANSWER <= len(text) <= MAX_TEXT:
        raise DomainError(_l("Write your answer (at least %(n)d characters).", n=MIN_ANSWER), field="text")
    files = [(name, stream) for name, stream in files if name]
    if files and kind in (FileKind.patient_scan, FileKind.patient_scan.value):
        raise DomainError(PATIENT_SCAN_REFUSED, field="kind")
    screen_text({"answer": text}, author=actor, source=ViolationSource.message, source_ref=f"dispute:{dispute.id}")
    request.answer, request.answered_at = text, now
    db.session.flush()
    stored = attach_evidence(dispute, files, actor=actor, party=side, request_id=request.id) if files else []
    record_action(
        "dispute.evidence_answered",
        dispute,
        actor=actor,
        after={"request": request.id, "files": len(stored), "late": now > request.due_at},
    )
    if request.asked_by is not None and request.asked_by.is_active:
        notify(
            request.asked_by,
            "evidence_answered",
            title=_l("Evidence was given on case %(ref)s", ref=dispute.case.reference),
            body=_l("%(party)s answered your evidence request.", party=PARTY_LABELS[side]),
            url=BACKOFFICE_PATH.format(id=dispute.id) + ANCHOR,
            case_id=dispute.case_id,
        )
    return request


def flag_overdue_requests(now: datetime) -> int:
    """Sweep: requests unanswered on their due date are flagged once (the pages show it)."""
    ids = db.session.scalars(
        sa.select(EvidenceRequest.id)
        .where(
            EvidenceRequest.answered_at.is_(None),
            EvidenceRequest.overdue_flagged_at.is_(None),
            EvidenceRequest.due_at <= now,
        )
        .order_by(EvidenceRequest.id)
    ).all()
    done = 0
    for request_id in ids:
        try:
            flagged = _flag_overdue(db.session.get(EvidenceRequest, request_id), now=now)
        except DomainError as exc:
            db.session.rollback()
            log.info("evidence request %s not flagged: %s", request_id, exc.message)
            continue
        commit()
        done += int(flagged)
    return done


def _flag_overdue(request: EvidenceRequest, *, now: datetime) -> bool:
    dispute, request = _lock_request(request)
    if (
        not dispute.is_active
        or request.answered_at is not None
        or request.overdue_flagged_at is not None
        or request.due_at > now
    ):
        return False
    request.overdue_flagged_at = now
    db.session.flush()
    record_action(
        "dispute.evidence_overdue",
        dispute,
        actor=None,
        after={"request": request.id, "party": request.party.value, "due_at": request.due_at.isoformat()},
        reason="no answer by the due date",
    )
    return True
