"""The offline gateway: Stripe's manual-capture flow played out in the database.

Holds, captures, transfers and refunds are SandboxObject rows, so the whole platform runs
without network. Like Stripe's, its book is its own: it is written through an independent
session (extensions.independent_session) and does not roll back with the caller's unit of
work. `inject_fault` makes the next calls of an action end without an answer, before or
after acting, as a gateway that timed out would, so failure handling can be tried offline. Test cards (as on Stripe):
4242 4242 4242 4242 succeeds, 4000 0000 0000 0002 is declined, 4000 0000 0000 9995 has
insufficient funds; anything else is refused. Only the last four digits are kept.
Every call that moves money answers the same thing again for the same idempotency key.
"""

from __future__ import annotations

import secrets
from dataclasses import asdict

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from extensions import independent_session
from models.ledger import SandboxObject, SandboxObjectKind, SandboxRequest
from payments.gateways.sandbox_cards import (  # noqa: F401 (the test cards are named from here too)
    AUTH_REQUIRED,
    DECLINED,
    INSUFFICIENT_FUNDS,
    SUCCEEDS,
    card_digits,
    decline_reason,
)
from payments.gateways.sandbox_saved import SavedCards
from payments.gateways.base import (
    GatewayBook,
    GatewayCall,
    GatewayError,
    GatewayUnconfirmed,
    HoldLapsed,
    HoldResult,
    HoldStatus,
)


def inject_fault(action: str, *, after: bool, times: int = 1) -> None:
    """Make the next `times` calls of `action` (capture, cancel_hold, transfer, refund) end without
    an answer: after acting (the answer was lost) or before (the call never arrived)."""
    current_app.extensions.setdefault("sandbox_faults", {})[action] = {"after": after, "left": times}


def clear_faults() -> None:
    current_app.extensions.pop("sandbox_faults", None)


def _fault(action: str) -> dict | None:
    fault = current_app.extensions.get("sandbox_faults", {}).get(action)
    if not fault or fault["left"] <= 0:
        return None
    fault["left"] -= 1
    return fault


class SandboxGateway(SavedCards):
    name = "sandbox"

    @staticmethod
    def account_for(designer_id: int) -> str:
        """The sandbox's connected account of a designer (payouts always set up offline)."""
        return f"acct_sandbox_{designer_id}"

    # -- holds ---------------------------------------------------------------------------
    def hold(
        self,
        *,
        amount_cents: int,
        currency: str,
        idempotency_key: str,
        metadata: dict[str, str],
        payment_method: str | None = None,
        customer: str | None = None,
    ) -> HoldResult:
        with independent_session() as book:
            replay = self._replay(book, idempotency_key)
            if replay is not None:
                return HoldResult(
                    reference=replay["reference"],
                    status=HoldStatus(replay["status"]),
                    client_secret=replay.get("client_secret"),
                    decline_reason=replay.get("decline_reason"),
                )
            digits = card_digits(payment_method)
            reason = decline_reason(digits)
            intent = SandboxObject(
                reference=self._new_id("pi"),
                kind=SandboxObjectKind.payment_intent,
                status="canceled" if reason else "requires_capture",
                amount_cents=amount_cents,
                currency=currency,
                card_last4=digits[-4:] if len(digits) >= 4 else None,
                meta=dict(metadata),
            )
            book.add(intent)
            result = HoldResult(
                reference=intent.reference,
                status=HoldStatus.declined if reason else HoldStatus.held,
                decline_reason=reason,
            )
            self._remember(book, idempotency_key, "hold", {**asdict(result), "status": result.status.value})
            return result

    def hold_status(self, reference: str) -> HoldStatus:
        with independent_session() as book:
            intent = self._get(book, reference, SandboxObjectKind.payment_intent)
            return HoldStatus.held if intent.status == "requires_capture" else HoldStatus.declined

    def card_last4(self, reference: str) -> str | None:
        with independent_session() as book:
            return self._get(book, reference, SandboxObjectKind.payment_intent).card_last4

    def capture(self, reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        def act(book: Session) -> GatewayCall:
            intent = self._get(book, reference, SandboxObjectKind.payment_intent, lock=True)
            if intent.status == "canceled":
                raise HoldLapsed(f"sandbox: {reference} was canceled; it can no longer be captured")
            if intent.status != "requires_capture" or amount_cents > intent.amount_cents:
                raise GatewayError(f"sandbox: {reference} cannot be captured ({intent.status})")
            intent.status = "succeeded"
            intent.captured_cents = amount_cents
            return GatewayCall("capture", reference, amount_cents, idempotency_key)

        return self._once("capture", idempotency_key, act)

    def cancel_hold(self, reference: str, *, idempotency_key: str) -> GatewayCall:
        def act(book: Session) -> GatewayCall:
            intent = self._get(book, reference, SandboxObjectKind.payment_intent, lock=True)
            # A hold that lapsed on its own is already released, as Stripe answers for it.
            if intent.status not in ("requires_capture", "canceled"):
                raise GatewayError(f"sandbox: {reference} cannot be canceled ({intent.status})")
            intent.status = "canceled"
            return GatewayCall("cancel_hold", reference, 0, idempotency_key)

        return self._once("cancel_hold", idempotency_key, act)

    # -- money out -----------------------------------------------------------------------
    def transfer(
        self,
        *,
        amount_cents: int,
        currency: str,
        destination: str,
        transfer_group: str,
        source_charge: str | None,
        idempotency_key: str,
    ) -> GatewayCall:
        def act(book: Session) -> GatewayCall:
            if amount_cents <= 0 or not destination:
                raise GatewayError("sandbox: a transfer needs a positive amount and a destination")
            transfer = SandboxObject(
                reference=self._new_id("tr"),
                kind=SandboxObjectKind.transfer,
                status="paid",
                amount_cents=amount_cents,
                currency=currency,
                destination=destination,
                transfer_group=transfer_group,
                source=source_charge,
                meta={"idempotency_key": idempotency_key},
            )
            book.add(transfer)
            return GatewayCall(
                "transfer",
                transfer.reference,
                amount_cents,
                idempotency_key,
                {"destination": destination, "transfer_group": transfer_group},
            )

        return self._once("transfer", idempotency_key, act)

    def refund(self, reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        def act(book: Session) -> GatewayCall:
            intent = self._get(book, reference, SandboxObjectKind.payment_intent, lock=True)
            if (
                intent.status != "succeeded"
                or amount_cents <= 0
                or intent.refunded_cents + amount_cents > intent.captured_cents
            ):
                raise GatewayError(f"sandbox: cannot refund {amount_cents} of {reference}")
            intent.refunded_cents += amount_cents
            refund = SandboxObject(
                reference=self._new_id("re"),
                kind=SandboxObjectKind.refund,
                status="succeeded",
                amount_cents=amount_cents,
                currency=intent.currency,
                source=reference,
                meta={"idempotency_key": idempotency_key},
            )
            book.add(refund)
            return GatewayCall("refund", refund.reference, amount_cents, idempotency_key)

        return self._once("refund", idempotency_key, act)

    def reverse_transfer(self, transfer_reference: str, *, amount_cents: int, idempotency_key: str) -> GatewayCall:
        def act(book: Session) -> GatewayCall:
            transfer = self._get(book, transfer_reference, SandboxObjectKind.transfer, lock=True)
            if amount_cents <= 0 or transfer.refunded_cents + amount_cents > transfer.amount_cents:
                raise GatewayError(f"sandbox: cannot reverse {amount_cents} of {transfer_reference}")
            transfer.refunded_cents += amount_cents
            return GatewayCall("reverse_transfer", transfer_reference, amount_cents, idempotency_key)

        return self._once("reverse_transfer", idempotency_key, act)

    # -- the book, for reconciliation -----------------------------------------------------
    def find(self, kind: str, *, hold_reference: str, transfer_group: str, idempotency_key: str) -> GatewayCall | None:
        with independent_session() as book:
            if kind in ("capture", "release"):
                intent = self._get(book, hold_reference, SandboxObjectKind.payment_intent)
                if kind == "capture" and intent.status == "succeeded":
                    return GatewayCall("capture", intent.reference, intent.captured_cents, idempotency_key)
                if kind == "release" and intent.status == "canceled":
                    return GatewayCall("cancel_hold", intent.reference, 0, idempotency_key)
                return None
            for made in self._made(book, kind, hold_reference, transfer_group):
                if (made.meta or {}).get("idempotency_key") == idempotency_key:
                    raw = (
                        {"destination": made.destination, "transfer_group": made.transfer_group}
                        if kind == "transfer"
                        else {}
                    )
                    return GatewayCall(kind, made.reference, made.amount_cents, idempotency_key, raw)
            return None

    def book(self, *, hold_reference: str, transfer_group: str) -> GatewayBook:
        with independent_session() as book:
            intent = self._get(book, hold_reference, SandboxObjectKind.payment_intent)
            return GatewayBook(
                captured=intent.captured_cents if intent.status == "succeeded" else 0,
                refunded=sum(r.amount_cents for r in self._made(book, "refund", hold_reference, transfer_group)),
                transferred=sum(
                    t.amount_cents - t.refunded_cents
                    for t in self._made(book, "transfer", hold_reference, transfer_group)
                ),
            )

    @staticmethod
    def _made(book: Session, kind: str, hold_reference: str, transfer_group: str) -> list[SandboxObject]:
        if kind == "refund":
            where = (SandboxObject.kind == SandboxObjectKind.refund, SandboxObject.source == hold_reference)
        else:
            where = (SandboxObject.kind == SandboxObjectKind.transfer, SandboxObject.transfer_group == transfer_group)
        return list(book.scalars(sa.select(SandboxObject).where(*where).order_by(SandboxObject.id)))

    # -- the book ------------------------------------------------------------------------
    @staticmethod
    def _new_id(prefix: str) -> str:
        return f"{prefix}_sbx_{secrets.token_hex(12)}"

    @staticmethod
    def _get(book: Session, reference: str, kind: SandboxObjectKind, *, lock: bool = False) -> SandboxObject:
        query = sa.select(SandboxObject).where(SandboxObject.reference == reference, SandboxObject.kind == kind)
        found = book.scalar(query.with_for_update() if lock else query)
        if found is None:
            raise GatewayError(f"sandbox: no {kind.value} {reference}")
        return found

    @staticmethod
    def _replay(book: Session, idempotency_key: str) -> dict | None:
        done = book.get(SandboxRequest, idempotency_key)
        return done.response if done is not None else None

    @staticmethod
    def _remember(book: Session, idempotency_key: str, action: str, response: dict) -> None:
        book.add(SandboxRequest(idempotency_key=idempotency_key, action=action, response=response))
        book.flush()

    def _once(self, action: str, idempotency_key: str, act) -> GatewayCall:
        """Answer a repeated key with the first answer, as Stripe does; else act and remember.
        The book is committed before the answer goes back, so an answer lost on the way changes
        nothing to what the sandbox did."""
        fault = _fault(action)
        if fault is not None and not fault["after"]:
            raise GatewayUnconfirmed(f"sandbox: no answer to {action} (injected before acting)")
        with independent_session() as book:
            replay = self._replay(book, idempotency_key)
            if replay is not None:
                call = GatewayCall(**replay)
            else:
                call = act(book)
                self._remember(book, idempotency_key, call.action, asdict(call))
        if fault is not None:
            raise GatewayUnconfirmed(f"sandbox: the answer to {action} was lost (injected after acting)")
        return call
