"""Create an organisation, invite by e-mail, accept, revoke, remove, leave.

Every change to an organisation's members runs under the organisation's row lock, so two
owners leaving at once cannot leave it without one. Sharing rules (who sees what of a
teammate's cases) live in cases/permissions.py, which asks `same_organisation` here.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import selectinload

from accounts.tokens import TokenInvalid, dump_signed, load_signed
from errors import DomainError, NotFound, PermissionDenied
from extensions import db
from messaging.mail import public_link, send_mail
from models.accounts import User
from models.teams import Invitation, Membership, Organisation, TeamRole

INVITE_PURPOSE = "team-invitation"
INVITATION_DAYS = 7
MAX_NAME = 120
MAX_PENDING = 50


def membership_of(user_id: int) -> Membership | None:
    return db.session.scalar(sa.select(Membership).where(Membership.user_id == user_id))


def same_organisation(user_id: int, other_id: int) -> bool:
    """Whether the two accounts are members of one organisation (an account is not its own teammate)."""
    if user_id == other_id:
        return False
    mine = sa.select(Membership.organisation_id).where(Membership.user_id == user_id).scalar_subquery()
    return (
        db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Membership)
            .where(Membership.user_id == other_id, Membership.organisation_id == mine)
        )
        > 0
    )


def teammate_ids(user_id: int):
    """A SELECT of the ids of the other members of the user's organisation (for IN clauses)."""
    mine = sa.select(Membership.organisation_id).where(Membership.user_id == user_id).scalar_subquery()
    return sa.select(Membership.user_id).where(Membership.organisation_id == mine, Membership.user_id != user_id)


def members(organisation: Organisation) -> list[Membership]:
    return db.session.scalars(
        sa.select(Membership)
        .where(Membership.organisation_id == organisation.id)
        .options(selectinload(Membership.user))
        .order_by(Membership.role, Membership.id)
    ).all()


def pending_invitations(organisation: Organisation, now: datetime) -> list[Invitation]:
    return db.session.scalars(
        sa.select(Invitation)
        .where(
            Invitation.organisation_id == organisation.id,
            Invitation.accepted_at.is_(None),
            Invitation.revoked_at.is_(None),
            Invitation.expires_at > now,
        )
        .order_by(Invitation.id)
    ).all()


def _locked_org(organisation_id: int) -> Organisation:
    org = db.session.get(Organisation, organisation_id, with_for_update=True, populate_existing=True)
    if org is None:
        raise NotFound(_l("This team does not exist."))
    return org


def _owned(actor: User) -> Organisation:
    """The actor's organisation, locked, when the actor owns it."""
    membership = membership_of(actor.id)
    if membership is None:
        raise NotFound(_l("You are not in a team."))
    org = _locked_org(membership.organisation_id)
    if membership.role != TeamRole.owner:
        raise PermissionDenied(_l("Only an owner of the team may do this."))
    return org


def create_organisation(actor: User, name: str) -> Organisation:
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise DomainError(_l("Give the team a name of at most %(n)d characters.", n=MAX_NAME), field="name")
    # The user's row lock: two clicks cannot create two organisations for one account.
    db.session.get(User, actor.id, with_for_update=True, populate_existing=True)
    if membership_of(actor.id) is not None:
        raise DomainError(_l("You are already in a team. Leave it first to create another."))
    org = Organisation(name=name)
    db.session.add(org)
    db.session.flush()
    db.session.add(Membership(organisation_id=org.id, user_id=actor.id, role=TeamRole.owner))
    db.session.flush()
    return org


def invite(actor: User, email: str, now: datetime) -> Invitation:
    """Invite an address; the mail's link is signed when the mail is rendered (see invitation_link)."""
    email = (email or "").strip().lower()
    if "@" not in email or len(email) > 254 or " " in email:
        raise DomainError(_l("Enter a valid e-mail address."), field="email")
    org = _owned(actor)
    in_team = db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Membership)
        .join(User, User.id == Membership.user_id)
        .where(Membership.organisation_id == org.id, sa.func.lower(User.email) == email)
    )
    if in_team:
        raise DomainError(_l("This address is already a member of the team."), field="email")
    pending = pending_invitations(org, now)
    if any(i.email == email for i in pending):
        raise DomainError(_l("This address already has an invitation waiting."), field="email")
    if len(pending) >= MAX_PENDING:
        raise DomainError(_l("Too many invitations are waiting: revoke some first."))
    invitation = Invitation(
        organisation_id=org.id,
        email=email,
        invited_by_id=actor.id,
        created_at=now,
        expires_at=now + timedelta(days=INVITATION_DAYS),
    )
    db.session.add(invitation)
    db.session.flush()
    invitee = db.session.scalar(sa.select(User).where(sa.func.lower(User.email) == email))
    send_mail(
        email,
        "team_invitation",
        locale=(invitee.locale if invitee else actor.locale),
        invitation=invitation,
        organisation=org,
        inviter=actor,
    )
    return invitation


def invitation_link(invitation: Invitation) -> str:
    """The mailed link, signed by the mail's job: no secret is stored, the invitation's state ends it."""
    token = dump_signed(INVITE_PURPOSE, {"iid": invitation.id})
    return public_link("teams.invitation", token=token)


def read_invitation(token: str) -> Invitation:
    """The invitation a link names; NotFound when the link was tampered with or is too old."""
    try:
        data = load_signed(INVITE_PURPOSE, token, max_age=INVITATION_DAYS * 86400 + 3600)
    except TokenInvalid as exc:
        raise NotFound(_l("This invitation link is not valid or has expired.")) from exc
    invitation = db.session.get(Invitation, int(data.get("iid", 0))) if isinstance(data, dict) else None
    if invitation is None:
        raise NotFound(_l("This invitation link is not valid or has expired."))
    return invitation


def accept(actor: User, invitation: Invitation, now: datetime) -> Membership:
    """The signed-in account whose address the invitation was sent to joins the team."""
    _locked_org(invitation.organisation_id)
    invitation = db.session.get(Invitation, invitation.id, with_for_update=True, populate_existing=True)
    if actor.email.lower() != invitation.email:
        raise PermissionDenied(
            _l("This invitation was sent to another address. Sign in with the account of that address to accept it.")
        )
    if not invitation.is_pending(now):
        raise DomainError(_l("This invitation is no longer open: it was accepted, revoked or has expired."))
    if membership_of(actor.id) is not None:
        raise DomainError(_l("You are already in a team. Leave it first to join another."))
    invitation.accepted_at = now
    membership = Membership(
        organisation_id=invitation.organisation_id, user_id=actor.id, role=TeamRole.member, joined_at=now
    )
    db.session.add(membership)
    db.session.flush()
    return membership


def revoke(actor: User, invitation_id: int, now: datetime) -> None:
    org = _owned(actor)
    invitation = db.session.get(Invitation, invitation_id, with_for_update=True, populate_existing=True)
    if invitation is None or invitation.organisation_id != org.id:
        raise NotFound(_l("This invitation does not exist."))
    if not invitation.is_pending(now):
        raise DomainError(_l("This invitation is no longer open: it was accepted, revoked or has expired."))
    invitation.revoked_at = now


def remove_member(actor: User, membership_id: int) -> None:
    """An owner removes a member (another owner included, never the last owner: themselves, by leaving)."""
    org = _owned(actor)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != org.id:
        raise NotFound(_l("This member does not exist."))
    if membership.user_id == actor.id:
        raise DomainError(_l("To leave the team yourself, use Leave the team."))
    db.session.delete(membership)
    db.session.flush()


def leave(actor: User) -> None:
    """A member leaves; the last owner cannot (the team would have nobody to run it) unless alone,
    in which case the organisation ends with them."""
    membership = membership_of(actor.id)
    if membership is None:
        raise NotFound(_l("You are not in a team."))
    org = _locked_org(membership.organisation_id)
    everyone = members(org)
    owners = [m for m in everyone if m.role == TeamRole.owner]
    if membership.role == TeamRole.owner and len(owners) == 1 and len(everyone) > 1:
        raise DomainError(
            _l(
                "You are the team's last owner: make another member an owner, or remove "
                "the other members, before leaving."
            )
        )
    db.session.delete(membership)
    db.session.flush()
    if len(everyone) == 1:
        db.session.delete(org)
        db.session.flush()


def make_owner(actor: User, membership_id: int) -> None:
    """An owner makes a member an owner too (so the last owner may then leave)."""
    org = _owned(actor)
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.organisation_id != org.id:
        raise NotFound(_l("This member does not exist."))
    membership.role = TeamRole.owner
