"""A user's data export: a ZIP of their profile, cases, messages and invoices, built by a job.

The owner asks for it on Settings > Your data; a job builds it after the commit; the ZIP is
kept EXPORT_KEEP_DAYS for its owner alone to download, then the sweep deletes its bytes.
Patient scans are not in it (they are handed over once, then deleted): files are listed by name.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from errors import DomainError, NotFound
from extensions import commit, db
from jobs import enqueue
from jobs.runtime import job
from models.accounts import User
from models.cases import Case, CaseEvent, Review
from models.legal import DataExport, ExportState, LegalAcceptance
from models.community import Follow, Post, PostComment, PostLike
from models.messaging import Conversation, Message, MessageAttachment, Participant
from models.payments import Invoice
from models.profiles import DesignerProfile
from models.trust import SignInDevice
from models.types import utcnow
from payments.case_money import case_money_of

README = """Occlusa: your data export / votre export de données

profile.json   your account, designer profile, accepted legal documents, sign-in networks
               votre compte, profil de concepteur, documents acceptés, réseaux de connexion
cases.json     every case you sent or designed, with its history and amounts
               chaque cas envoyé ou conçu, avec son historique et ses montants
reviews.json   the reviews you wrote and received / les avis écrits et reçus
messages.json  every conversation you take part in / chaque conversation à laquelle vous participez
community.json your posts, comments, likes and follows / vos publications, commentaires, j'aime et abonnements
invoices/      the invoices issued to you or in your name (PDF) / vos factures (PDF)

Files exchanged in threads are listed by name only; patient scans are deleted once downloaded.
Les fichiers échangés sont listés par leur nom ; les scans patients sont supprimés après téléchargement.
"""


def _at(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def request_export(user: User) -> DataExport:
    """Ask for a new export of `user`'s data; the job builds it after the commit.

    Raises DomainError while an earlier one is still being prepared. Flushes.
    """
    waiting = db.session.scalar(
        sa.select(DataExport).where(DataExport.user_id == user.id, DataExport.state == ExportState.pending)
    )
    if waiting is not None:
        raise DomainError(_l("Your data export is being prepared. It will appear on this page when it is ready."))
    export = DataExport(user_id=user.id, state=ExportState.pending)
    db.session.add(export)
    db.session.flush()
    enqueue(build_export, export.id)
    return export


@job
def build_export(export_id: int) -> int | None:
    """Job: build the ZIP of a pending export; returns its size. Idempotent (a ready one is left alone)."""
    export = db.session.get(DataExport, export_id, with_for_update=True)
    if export is None or export.state != ExportState.pending:
        return None
    user = db.session.get(User, export.user_id)
    try:
        data = export_zip(user)
    except Exception:
        db.session.rollback()
        export = db.session.get(DataExport, export_id, with_for_update=True)
        export.state = ExportState.failed
        commit()
        raise
    now = utcnow()
    # One copy of a person's data at a time: a new export replaces the earlier ones.
    for earlier in db.session.scalars(
        sa.select(DataExport).where(DataExport.user_id == export.user_id, DataExport.state == ExportState.ready)
    ):
        earlier.state, earlier.data = ExportState.expired, None
    export.data, export.size = data, len(data)
    export.state, export.ready_at = ExportState.ready, now
    export.expires_at = now + timedelta(days=current_app.config["EXPORT_KEEP_DAYS"])
    commit()
    return export.size


def export_zip(user: User) -> bytes:
    """The ZIP itself: README.txt, profile.json, cases.json, reviews.json, messages.json, community.json,
    invoices/*.pdf."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README)
        for name, content in (
            ("profile.json", _profile(user)),
            ("cases.json", _cases(user)),
            ("reviews.json", _reviews(user)),
            ("messages.json", _messages(user)),
            ("community.json", _community(user)),
        ):
            archive.writestr(name, json.dumps(content, ensure_ascii=False, indent=2))
        for invoice in _invoices(user):
            archive.writestr(f"invoices/{invoice.display_number}.pdf", invoice.pdf)
    return buffer.getvalue()


def _profile(user: User) -> dict:
    profile = db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    acceptances = db.session.scalars(
        sa.select(LegalAcceptance).where(LegalAcceptance.user_id == user.id).order_by(LegalAcceptance.accepted_at)
    ).all()
    devices = db.session.scalars(sa.select(SignInDevice).where(SignInDevice.user_id == user.id)).all()
    return {
        "account": {
            "id": user.id,
            "email": user.email,
            "display_name": user.display_name,
            "client": user.is_client,
            "designer": user.is_designer,
            "language": user.locale,
            "status": user.status.value,
            "created_at": _at(user.created_at),
            "email_confirmed_at": _at(user.email_confirmed_at),
            "last_login_at": _at(user.last_login_at),
        },
        "designer_profile": None
        if profile is None
        else {
            "real_name": profile.real_name,
            "country": profile.country,
            "tax_id": profile.tax_id,
            "headline": profile.headline,
            "bio": profile.bio,
            "skills": profile.skills,
            "software": profile.software,
            "experience": profile.experience,
            "education": profile.education,
            "state": profile.state.value,
            "identity_verified": profile.identity_verified,
            "identity_verified_at": _at(profile.identity_verified_at),
            "payouts_ready": profile.payouts_ready,
            "unavailable_for_work": profile.unavailable,
        },
        "legal_acceptances": [
            {"document": a.document, "version": a.version, "accepted_at": _at(a.accepted_at)} for a in acceptances
        ],
        "sign_in_networks": [
            {
                "browser": d.user_agent,
                "network": d.ip_prefix,
                "first_seen_at": _at(d.first_seen_at),
                "last_seen_at": _at(d.last_seen_at),
                "sign_ins": d.sign_ins,
            }
            for d in devices
        ],
    }


def _cases(user: User) -> list[dict]:
    cases = db.session.scalars(
        sa.select(Case).where(sa.or_(Case.client_id == user.id, Case.designer_id == user.id)).order_by(Case.created_at)
    ).all()
    money = case_money_of(cases)
    events: dict[int, list[CaseEvent]] = {}
    if cases:
        for event in db.session.scalars(
            sa.select(CaseEvent)
            .where(CaseEvent.case_id.in_([c.id for c in cases]))
            .order_by(CaseEvent.at, CaseEvent.id)
        ):
            events.setdefault(event.case_id, []).append(event)
    found = []
    for case in cases:
        m = money[case.id]
        found.append(
            {
                "reference": case.reference,
                "your_role": "client" if case.client_id == user.id else "designer",
                "listing_title": case.listing_title,
                "state": case.state.value,
                "quantity": case.quantity,
                "unit": case.unit.value,
                "currency": m.currency,
                "price_cents": m.price_cents,
                "refunded_cents": m.refunded_cents,
                "fee_cents": m.fee_cents,
                "designer_net_cents": m.designer_net_cents,
                "paid_out_cents": m.paid_out_cents,
                "your_case_id": case.client_case_id if case.client_id == user.id else None,
                "instructions": case.instructions,
                "prescription": case.prescription,
                "created_at": _at(case.created_at),
                "accepted_at": _at(case.accepted_at),
                "closed_at": _at(case.closed_at),
                "history": [
                    {"at": _at(e.at), "action": e.action, "from": e.from_state, "to": e.to_state, "note": e.note}
                    for e in events.get(case.id, [])
                ],
            }
        )
    return found


def _reviews(user: User) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Review)
        .where(sa.or_(Review.author_id == user.id, Review.subject_id == user.id))
        .order_by(Review.created_at)
    ).all()
    return [
        {"written_by_you": r.author_id == user.id, "stars": r.stars, "text": r.text, "created_at": _at(r.created_at)}
        for r in rows
    ]


def _community(user: User) -> dict:
    posts = db.session.scalars(sa.select(Post).where(Post.author_id == user.id).order_by(Post.created_at)).all()
    comments = db.session.scalars(
        sa.select(PostComment).where(PostComment.author_id == user.id).order_by(PostComment.created_at)
    ).all()
    followed = db.session.execute(
        sa.select(User.display_name, Follow.created_at)
        .join(Follow, Follow.designer_id == User.id)
        .where(Follow.follower_id == user.id)
        .order_by(Follow.created_at)
    ).all()
    return {
        "posts": [
            {
                "text": p.body,
                "categories": p.categories,
                "software": p.software,
                "state": p.state.value,
                "pictures": len(p.images),
                "created_at": _at(p.created_at),
            }
            for p in posts
        ],
        "comments": [{"post": c.post_id, "text": c.body, "created_at": _at(c.created_at)} for c in comments],
        "liked_posts": list(db.session.scalars(sa.select(PostLike.post_id).where(PostLike.user_id == user.id))),
        "following": [{"designer": name, "since": _at(at)} for name, at in followed],
    }


def _messages(user: User) -> list[dict]:
    conversations = db.session.scalars(
        sa.select(Conversation)
        .join(Participant, Participant.conversation_id == Conversation.id)
        .where(Participant.user_id == user.id)
        .order_by(Conversation.created_at)
    ).all()
    if not conversations:
        return []
    ids = [c.id for c in conversations]
    messages = db.session.scalars(
        sa.select(Message).where(Message.conversation_id.in_(ids)).order_by(Message.created_at, Message.id)
    ).all()
    names = dict(
        db.session.execute(
            sa.select(User.id, User.display_name).where(User.id.in_({m.sender_id for m in messages} or {0}))
        ).all()
    )
    attachments: dict[int, list[str]] = {}
    if messages:
        for item in db.session.scalars(
            sa.select(MessageAttachment).where(MessageAttachment.message_id.in_([m.id for m in messages]))
        ):
            attachments.setdefault(item.message_id, []).append(item.name)
    cases = dict(
        db.session.execute(
            sa.select(Case.id, Case.reference).where(
                Case.id.in_({c.case_id for c in conversations if c.case_id} or {0})
            )
        ).all()
    )
    by_conversation: dict[int, list[dict]] = {}
    for m in messages:
        by_conversation.setdefault(m.conversation_id, []).append(
            {
                "at": _at(m.created_at),
                "from": "you" if m.sender_id == user.id else names.get(m.sender_id, ""),
                "kind": m.kind.value,
                "text": m.body,
                "files": attachments.get(m.id, []),
            }
        )
    return [
        {
            "kind": c.kind.value,
            "case": cases.get(c.case_id),
            "subject": c.subject,
            "started_at": _at(c.created_at),
            "messages": by_conversation.get(c.id, []),
        }
        for c in conversations
    ]


def _invoices(user: User) -> list[Invoice]:
    return db.session.scalars(
        sa.select(Invoice)
        .where(sa.or_(Invoice.issuer_user_id == user.id, Invoice.recipient_user_id == user.id))
        .order_by(Invoice.created_at, Invoice.id)
    ).all()


def exports_of(user: User) -> list[DataExport]:
    return db.session.scalars(
        sa.select(DataExport).where(DataExport.user_id == user.id).order_by(DataExport.requested_at.desc()).limit(5)
    ).all()


def export_for(export_id: int, *, viewer: User) -> DataExport:
    """A ready export its owner may download. Raises NotFound for anyone else's, or one not ready."""
    export = db.session.get(DataExport, export_id)
    if export is None or export.user_id != viewer.id or export.state != ExportState.ready:
        raise NotFound(_l("This export does not exist or has expired."))
    return export


def sweep_expired_exports(now: datetime) -> int:
    """Sweep: delete the bytes of exports past their date; returns how many."""
    expired = db.session.scalars(
        sa.select(DataExport)
        .where(DataExport.state == ExportState.ready, DataExport.expires_at <= now)
        .with_for_update()
    ).all()
    for export in expired:
        export.state, export.data = ExportState.expired, None
    return len(expired)


def forget_exports(user: User) -> None:
    """Delete every export of an account being closed."""
    db.session.execute(sa.delete(DataExport).where(DataExport.user_id == user.id))
