"""From a listing to a case: the order, the hold on the card, and the "send" transition.

`place_order` checks the order, copies the agreed terms and asks the gateway to hold the
amount. A hold granted at once (sandbox, saved card) sends the case in the same unit of
work. A hold that needs the payer's browser (Stripe's Payment Element, 3-D Secure) leaves
the order waiting; `confirm_order` asks the gateway afterwards and sends the case only
once the money is held, so no case ever exists without its hold.

Each order page is issued a one-time token (`new_order_token`), carried in the page's
address, and the order is stored under it (unique): submitting the same page again (back
button, double click, a retried request) finds the order already placed instead of holding
the card a second time.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError

from cases.prescription import validate_prescription
from cases.process import apply_action
from errors import DomainError, InvalidTransition, NotFound
from extensions import db
from listings.pricing import unit_price_for
from listings.visibility import can_order
from models.accounts import User
from models.cases import OPEN_STATES, Case, CaseFile, CaseFileRole, CaseOrder, CaseUnit, OrderStatus
from models.files import StoredFile
from models.ledger import PaymentStatus
from models.moderation import ViolationSource
from payments import escrow
from payments.fees import platform_fee
from payments.gateways.base import HoldResult, HoldStatus
from profiles import is_available
from screening.contact_filter import screen_text
from transitions import Process, Table, step

# An order waits for its hold; once the money is held it becomes a case ("send"), and a card
# refused at confirmation declines it (asked again, it stays declined). The payer may retry the
# same hold with another card in the browser: a declined order whose hold then succeeds is sent.
# (state, action)                                → next state       who may
TRANSITIONS = Table(
    {
        (OrderStatus.awaiting_payment, "send"): step(OrderStatus.sent, "client"),
        (OrderStatus.awaiting_payment, "decline"): step(OrderStatus.declined, "client"),
        (OrderStatus.declined, "decline"): step(OrderStatus.declined, "client"),
        (OrderStatus.declined, "send"): step(OrderStatus.sent, "client"),
    }
)

_TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
ORDER_FORM_EXPIRED = _l("This order form has expired. Check your order and confirm it again.")


class DesignerUnavailable(DomainError):
    """The designer is marked unavailable; the client must confirm before sending."""


class DuplicateClientCaseId(DomainError):
    """The client already has an open case with this case ID; they must confirm to send another."""


class OrderAlreadyPlaced(InvalidTransition):
    """This order page was already submitted; `order` is what it placed."""

    def __init__(self, order: CaseOrder):
        super().__init__(_l("This case was already sent."))
        self.order = order


def new_order_token() -> str:
    """A one-time token for an order page (43 url-safe characters, as CaseOrder.token stores)."""
    return secrets.token_urlsafe(32)


def order_with_token(token: str | None, *, actor: User) -> CaseOrder | None:
    """The actor's order placed from the page with this token, if any (someone else's: None)."""
    if not is_order_token(token):
        return None
    order = db.session.scalar(sa.select(CaseOrder).where(CaseOrder.token == token))
    return order if order is not None and order.client_id == actor.id else None


def is_order_token(token: str | None) -> bool:
    return bool(token) and _TOKEN.fullmatch(token) is not None


def _token_taken_by_someone_else(token: str, actor: User) -> bool:
    return db.session.scalar(sa.select(CaseOrder.client_id).where(CaseOrder.token == token)) not in (None, actor.id)


@dataclass(frozen=True)
class OrderTerms:
    """What the client agrees to pay and get, copied from the listing's approved version."""

    listing_id: int | None
    designer_id: int
    title: str
    unit: CaseUnit
    revisions_included: int
    turnaround_days: int
    currency: str


def terms_of(listing) -> OrderTerms:
    public = listing.public or {}
    unit = public.get("unit", getattr(listing.unit, "value", listing.unit))
    return OrderTerms(
        listing_id=listing.id,
        designer_id=listing.designer_id,
        title=public.get("title", listing.title),
        unit=CaseUnit.arch if unit == "arch" else CaseUnit.tooth,
        revisions_included=int(public.get("revisions_included", listing.revisions_included)),
        turnaround_days=int(public.get("turnaround_days", listing.turnaround_days)),
        currency=public.get("currency", listing.currency or "usd"),
    )


def quote(listing, quantity: int) -> tuple[int, int, int]:
    """(unit price, amount, fee) in cents for `quantity` of the listing. Raises DomainError."""
    unit_price = unit_price_for(listing, quantity)
    amount = unit_price * quantity
    return unit_price, amount, platform_fee(amount)


def place_order(
    listing,
    *,
    actor: User,
    order_token: str,
    prescription: dict,
    instructions: str = "",
    client_case_id: str = "",
    attachments: list[StoredFile] = (),
    payment_method: str | None = None,
    accept_unavailable: bool = False,
    accept_duplicate: bool = False,
) -> tuple[CaseOrder, HoldResult]:
    """Check the order, hold its amount, and send the case when the hold is granted at once.

    `order_token` is the order page's one-time token: the order is stored under it, so the
    same page submitted twice never holds the card twice. Returns (order, hold result);
    `order.case_id` is set when the case was sent. Raises OrderAlreadyPlaced when the page
    was already submitted, NotFound when the actor may not order this listing,
    DesignerUnavailable until an unavailable designer is confirmed, DuplicateClientCaseId
    until a second open case with the same case ID is confirmed, DomainError for a bad
    prescription, token or a declined card, ContactDetailsRefused for contact details in the
    instructions, PaymentFailed when the gateway cannot be reached.
    """
    if not can_order(listing, actor):
        raise NotFound(_l("This listing does not exist."))
    if not is_order_token(order_token) or _token_taken_by_someone_else(order_token, actor):
        raise DomainError(ORDER_FORM_EXPIRED)
    placed = order_with_token(order_token, actor=actor)
    if placed is not None:
        raise OrderAlreadyPlaced(placed)
    terms = terms_of(listing)
    if not accept_unavailable and not is_available(terms.designer_id):
        raise DesignerUnavailable(
            _l(
                "This designer is currently full, so your case may not be delivered on "
                "time. Do you still want to send it?"
            )
        )
    clean, quantity = validate_prescription(prescription, terms.unit)
    instructions = (instructions or "").strip()
    client_case_id = (client_case_id or "").strip()
    if len(client_case_id) > 64:
        raise DomainError(_l("Your case ID is at most 64 characters."), field="client_case_id")
    screen_text(
        {"instructions": instructions, "client_case_id": client_case_id},
        author=actor,
        source=ViolationSource.case_instructions,
        source_ref=f"listing:{listing.id}",
    )
    for stored in attachments:
        if stored.owner_id != actor.id or stored.is_deleted:
            raise NotFound(_l("This file does not exist."))
    if client_case_id and not accept_duplicate:
        twin = _open_case_with_client_id(actor, client_case_id)
        if twin is not None:
            raise DuplicateClientCaseId(
                _l(
                    "You already have an open case with the case ID %(id)s (%(ref)s). Send this one as well?",
                    id=client_case_id,
                    ref=twin.reference,
                ),
                field="client_case_id",
            )
    unit_price, amount, fee = quote(listing, quantity)
    order = CaseOrder(
        token=order_token,
        client_id=actor.id,
        designer_id=terms.designer_id,
        listing_id=terms.listing_id,
        amount_cents=amount,
        currency=terms.currency,
        terms={
            "title": terms.title,
            "unit": terms.unit.value,
            "revisions_included": terms.revisions_included,
            "turnaround_days": terms.turnaround_days,
            "quantity": quantity,
            "unit_price_cents": unit_price,
            "fee_cents": fee,
            "prescription": clean,
            "instructions": instructions,
            "client_case_id": client_case_id or None,
            "attachments": [f.id for f in attachments],
        },
    )
    try:
        with db.session.begin_nested():  # the same page submitted at the same moment: one order wins
            db.session.add(order)
    except IntegrityError:
        raise OrderAlreadyPlaced(
            db.session.scalar(sa.select(CaseOrder).where(CaseOrder.token == order_token))
        ) from None
    payment, hold = escrow.place_hold(order, payment_method=payment_method)
    if hold.status == HoldStatus.declined:
        raise DomainError(hold.decline_reason or _l("Your card was declined."), field="card")
    if hold.status == HoldStatus.held:
        send_case(order, actor=actor)
    return order, hold


def _open_case_with_client_id(actor: User, client_case_id: str) -> Case | None:
    return db.session.scalar(
        sa.select(Case)
        .where(
            Case.client_id == actor.id,
            sa.func.lower(Case.client_case_id) == client_case_id.lower(),
            Case.state.in_(OPEN_STATES),
        )
        .order_by(Case.id.desc())
        .limit(1)
    )


def confirm_order(order: CaseOrder, *, actor: User) -> Case:
    """After the browser confirmed the payment: send the case once the gateway says it is held.

    Idempotent: an order already sent returns its case. Raises NotFound for someone else's
    order, DomainError when the payment was declined or is still unconfirmed.
    """
    order = _lock_order(order)
    if order.client_id != actor.id:
        raise NotFound(_l("This order does not exist."))
    if order.status == OrderStatus.sent:
        return db.session.get(Case, order.case_id)
    payment = escrow.refresh_hold(order)
    if payment.status == PaymentStatus.declined:
        ORDER_PROCESS.apply(order, "decline", role="client", actor=actor, locked=True)
        raise InvalidTransition(_l("The payment was declined, so the case was not sent. Try another card."))
    if payment.status != PaymentStatus.held:
        raise DomainError(_l("The payment is not confirmed yet. Finish the card check, then try again."))
    return send_case(order, actor=actor)


def send_case(order: CaseOrder, *, actor: User, now: datetime | None = None) -> Case:
    """Create the case from an order whose amount is held, through the "send" transition.
    The caller holds the order: it locked it, or created it in this transaction."""
    return ORDER_PROCESS.apply(order, "send", role="client", actor=actor, locked=True, now=now).detail["case"]


def _sent(order: CaseOrder, *, actor: User, now: datetime | None = None, **_params) -> dict:
    t = order.terms
    case = Case(
        client_id=order.client_id,
        designer_id=order.designer_id,
        listing_id=order.listing_id,
        listing_title=t["title"],
        unit=CaseUnit(t["unit"]),
        revisions_included=t["revisions_included"],
        turnaround_days=t["turnaround_days"],
        quantity=t["quantity"],
        unit_price_cents=t["unit_price_cents"],
        amount_cents=order.amount_cents,
        fee_cents=t["fee_cents"],
        currency=order.currency,
        prescription=t["prescription"],
        instructions=t["instructions"],
        client_case_id=t["client_case_id"],
    )
    case.client = db.session.get(User, order.client_id)
    case.designer = db.session.get(User, order.designer_id)
    apply_action(case, "send", actor=actor, now=now)
    escrow.attach_payment(order, case)
    for file_id in t["attachments"]:
        db.session.add(CaseFile(case_id=case.id, file_id=file_id, role=CaseFileRole.attachment))
    order.case_id = case.id
    return {"case": case}


def _lock_order(order: CaseOrder) -> CaseOrder:
    return db.session.execute(
        sa.select(CaseOrder).where(CaseOrder.id == order.id).with_for_update().execution_options(populate_existing=True)
    ).scalar_one()


ORDER_PROCESS = Process(
    "order",
    TRANSITIONS,
    lock=_lock_order,
    event=lambda move: None,  # the case's own "send" event records it
    refused=lambda _order, _action: _l("This case was already sent."),
    denied=_l("This order does not exist."),
    fields={"send": _sent},
    attribute="status",
)
