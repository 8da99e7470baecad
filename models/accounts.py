"""Accounts: one person or company, acting as client, designer or both; staff roles on top."""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.types import UTCDateTime, enum_column, utcnow


class AccountStatus(enum.Enum):
    active = "active"  # may log in, buy and sell
    suspended = "suspended"  # locked out until reinstated or until suspended_until passes
    terminated = "terminated"  # closed by staff for good
    deleted = "deleted"  # closed by its owner; personal data erased


class StaffRole(enum.Enum):
    moderator = "moderator"  # reviews profiles, listings and violations
    verifier = "verifier"  # decides identity verification (KYC)
    resolution_agent = "resolution_agent"  # rules on disputes
    support = "support"  # answers the support desk's tickets
    admin = "admin"  # all of the above, plus staff management


class User(db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(sa.String(255))
    display_name: Mapped[str] = mapped_column(sa.String(80))
    is_client: Mapped[bool] = mapped_column(default=True)
    is_designer: Mapped[bool] = mapped_column(default=False)
    locale: Mapped[str | None] = mapped_column(sa.String(8))
    email_confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    status: Mapped[AccountStatus] = mapped_column(
        enum_column(AccountStatus, "account_status"), default=AccountStatus.active
    )
    status_reason: Mapped[str | None] = mapped_column(sa.Text)
    suspended_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Bumped to log the account out of every session at once (suspension, password change).
    session_version: Mapped[int] = mapped_column(default=1)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    roles: Mapped[list["StaffRoleGrant"]] = relationship(
        back_populates="user", cascade="all, delete-orphan", lazy="selectin"
    )

    # Flask-Login protocol. The id carries the session version so that bumping it
    # invalidates every session and remember-me cookie of the account.
    def get_id(self) -> str:
        return f"{self.id}:{self.session_version}"

    @property
    def is_authenticated(self) -> bool:
        return True

    @property
    def is_anonymous(self) -> bool:
        return False

    @property
    def is_active(self) -> bool:
        return self.status == AccountStatus.active

    @property
    def staff_roles(self) -> set[StaffRole]:
        return {grant.role for grant in self.roles}

    # Whether the session this account is signed in with passed the staff second factor,
    # stamped by the login loader on the account a request runs as. None: the account is not
    # acting through a signed-in session (jobs, the CLI, demo seeding act as the platform).
    second_factor_passed = None

    def has_staff_power(self, *roles: StaffRole) -> bool:
        """The one check behind every rule that grants something because of a staff role:
        an active account holding one of `roles` (admin holds them all) whose session passed
        the second factor. A password alone never opens a staff power, on any route."""
        held = self.staff_roles
        return (
            self.is_active
            and self.second_factor_passed is not False
            and (StaffRole.admin in held or any(r in held for r in roles))
        )

    @property
    def is_staff(self) -> bool:
        return bool(self.roles)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email}>"


class StaffRoleGrant(db.Model):
    __tablename__ = "staff_role_grants"
    __table_args__ = (sa.UniqueConstraint("user_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    role: Mapped[StaffRole] = mapped_column(enum_column(StaffRole, "staff_role"))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship(back_populates="roles")
