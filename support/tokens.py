"""Signed links of the support desk, made when a mail is rendered (by its job), never stored.

A visitor who filed signed out confirms the address with one link and reads and answers the
ticket with another; both name the ticket and the address it was filed with, so a link stops
working for a ticket whose address is not that one.
"""

from __future__ import annotations

from flask import current_app

from accounts.tokens import TokenInvalid, dump_signed, load_signed
from messaging.mail import public_link
from models.support import SupportTicket

CONFIRM = "support-confirm"
ACCESS = "support-ticket"


def make_token(purpose: str, ticket: SupportTicket) -> str:
    return dump_signed(purpose, {"t": ticket.id, "e": ticket.email})


def read_token(purpose: str, token: str) -> tuple[int, str]:
    """(ticket id, address) of a link; raises TokenInvalid when tampered with or expired."""
    max_age = (
        current_app.config["CONFIRM_EMAIL_MAX_AGE"]
        if purpose == CONFIRM
        else current_app.config["SUPPORT_LINK_DAYS"] * 86400
    )
    data = load_signed(purpose, token, max_age)
    if not isinstance(data, dict) or not isinstance(data.get("t"), int) or not isinstance(data.get("e"), str):
        raise TokenInvalid()
    return data["t"], data["e"]


def ticket_confirm_link(ticket: SupportTicket) -> str:
    return public_link("support.confirm", token=make_token(CONFIRM, ticket))


def ticket_link(ticket: SupportTicket) -> str:
    """Where a mail sends the requester: the app for a ticket filed signed in, else the signed link."""
    if ticket.signed_in:
        return public_link("support.ticket", ticket_id=ticket.id)
    return public_link("support.visitor_ticket", token=make_token(ACCESS, ticket))
