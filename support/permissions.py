"""Who may do what on the support desk. Deny by default."""

from __future__ import annotations

from models.accounts import StaffRole, User
from models.support import SupportTicket


def can_work_tickets(actor: User | None) -> bool:
    """Answer and solve tickets: the support role (admins hold every role), second factor passed."""
    return actor is not None and actor.has_staff_power(StaffRole.support)


def is_requester(user: User | None, ticket: SupportTicket) -> bool:
    """The signed-in account the ticket is about (its filer, or the account whose address a visitor confirmed)."""
    return (
        user is not None
        and getattr(user, "is_authenticated", False)
        and ticket.user_id is not None
        and ticket.user_id == user.id
    )
