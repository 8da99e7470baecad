"""Designer payouts: Stripe Connect onboarding (or its offline sandbox twin) and payout readiness.

With Stripe, onboarding creates an Express account and sends the designer to Stripe's own
pages (an account link); Stripe tells us when payouts are enabled (`account.updated`), and
the return from Stripe's pages asks again. Without Stripe (the sandbox) onboarding is
completed on the spot, so the whole platform works offline.

Whether payouts are ready is mirrored on the designer profile through
profiles.operations.set_payouts_ready, because listings need it to go live.
"""

from __future__ import annotations

import logging
import uuid

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

import hooks
from audit.trail import record_action
from errors import DomainError, InvalidTransition, PermissionDenied
from extensions import db
from models.accounts import User
from models.payments import BusinessType, ConnectedAccount, IbanProvider, PayoutProvider
from payments import payout_countries
from payments.gateways.stripe_gateway import StripeGateway

log = logging.getLogger(__name__)


def payout_destination(user: User) -> str | None:
    """The designer's connected account id when payouts are ready, else None."""
    account = account_of(user)
    return account.account_id if account is not None and account.payouts_ready else None


def account_of(user: User) -> ConnectedAccount | None:
    return db.session.scalar(sa.select(ConnectedAccount).where(ConnectedAccount.user_id == user.id))


def stripe_enabled() -> bool:
    return bool(current_app.config.get("STRIPE_SECRET_KEY"))


def _stripe():
    return StripeGateway.from_config(current_app.config)


def start_onboarding(
    user: User,
    *,
    actor: User,
    business_type: BusinessType,
    country: str,
    iban: str | None = None,
    iban_provider: IbanProvider | None = None,
) -> ConnectedAccount:
    """Open the designer's payout account: in a supported `country`, or — for a designer living
    elsewhere — in the country of their Wise/Payoneer euro `iban` (its first two letters).

    With Stripe an Express account is created and onboarding continues on Stripe's pages;
    in the sandbox the account is ready at once. Raises PermissionDenied when the actor is
    not this designer, InvalidTransition when an account exists, DomainError on a country
    or IBAN that cannot be used (the field is named).
    """
    if actor.id != user.id or not user.is_designer:
        raise PermissionDenied(_l("Only the designer can set up their own payouts."))
    db.session.get(User, user.id, with_for_update=True)  # one onboarding at a time per designer
    if account_of(user) is not None:
        raise InvalidTransition(_l("Your payout account is already set up."))
    country = (country or "").upper()
    residence = None
    last4 = None
    if iban_provider is not None:
        iban = payout_countries.normalise_iban(iban or "")
        if not payout_countries.iban_is_valid(iban):
            raise DomainError(
                _l("This IBAN is not valid: check it against your Wise or Payoneer account."), field="iban"
            )
        residence, country, last4 = country, payout_countries.iban_country(iban), iban[-4:]
        if not payout_countries.is_supported(country):
            raise DomainError(
                _l(
                    "This IBAN is registered in a country where payouts are not available. "
                    "Use a euro IBAN from Wise or Payoneer."
                ),
                field="iban",
            )
    elif not payout_countries.is_supported(country):
        raise DomainError(
            _l("Payouts are not available in this country: use the Wise or Payoneer euro IBAN route below."),
            field="country",
        )

    account = ConnectedAccount(
        user_id=user.id,
        business_type=business_type,
        country=country,
        residence_country=residence,
        iban_provider=iban_provider,
        iban_last4=last4,
        requirements_due=[],
    )
    if stripe_enabled():
        created = _stripe().create_express_account(
            email=user.email,
            country=country,
            business_type=business_type.value,
            metadata={"user_id": str(user.id)},
            idempotency_key=f"connect-account-user-{user.id}",
        )
        account.provider, account.account_id = PayoutProvider.stripe, created["id"]
        _apply_snapshot(account, created, as_of=0)
    else:
        account.provider, account.account_id = PayoutProvider.sandbox, f"acct_sandbox_{user.id}"
        account.details_submitted = True
    db.session.add(account)
    db.session.flush()
    record_action(
        "payouts.onboarding_started",
        account,
        actor=actor,
        after={
            "provider": account.provider.value,
            "country": country,
            "business_type": business_type.value,
            "iban_route": iban_provider is not None,
        },
    )
    if account.provider == PayoutProvider.sandbox:
        _set_ready(account, True)
    return account


def onboarding_link(account: ConnectedAccount, *, refresh_url: str, return_url: str) -> str:
    """A one-time link to Stripe's onboarding pages for this account. Raises InvalidTransition
    for a sandbox account (nothing to complete on Stripe)."""
    if account.provider != PayoutProvider.stripe:
        raise InvalidTransition(_l("Your payout account needs nothing more."))
    # A fresh key per request: account links expire within minutes and must not be replayed.
    return _stripe().create_account_link(
        account.account_id,
        refresh_url=refresh_url,
        return_url=return_url,
        idempotency_key=f"connect-link-{account.account_id}-{uuid.uuid4().hex}",
    )


def refresh_account(account: ConnectedAccount) -> ConnectedAccount:
    """Ask Stripe for the account's state now (the designer came back from onboarding)."""
    if account.provider != PayoutProvider.stripe:
        return account
    snapshot = _stripe().retrieve_account(account.account_id)
    return apply_account_update(snapshot, as_of=None)


def apply_account_update(snapshot: dict, *, as_of: int | None) -> ConnectedAccount | None:
    """Apply a Stripe account object (from `account.updated` or a retrieve) to its row.

    `as_of` is the event's `created` time: a snapshot older than the one already applied is
    ignored, so events arriving out of order never undo a newer state. A retrieve (None) is
    the present, always applied. Returns None for an account that is not ours.
    """
    account = db.session.scalar(
        sa.select(ConnectedAccount).where(ConnectedAccount.account_id == snapshot.get("id")).with_for_update()
    )
    if account is None:
        return None
    if as_of is not None and as_of < account.synced_at:
        log.info("ignoring stale account snapshot for %s", account.account_id)
        return account
    _apply_snapshot(account, snapshot, as_of=as_of if as_of is not None else account.synced_at)
    db.session.flush()
    ready = (
        bool(snapshot.get("payouts_enabled"))
        and (snapshot.get("capabilities") or {}).get("transfers", "active") == "active"
    )
    _set_ready(account, ready)
    return account


def _apply_snapshot(account: ConnectedAccount, snapshot: dict, *, as_of: int) -> None:
    account.details_submitted = bool(snapshot.get("details_submitted"))
    account.requirements_due = list((snapshot.get("requirements") or {}).get("currently_due") or [])
    account.synced_at = as_of


def _set_ready(account: ConnectedAccount, ready: bool) -> None:
    """Record a change of payout readiness on the account and the designer profile."""
    if account.payouts_ready == ready:
        return
    account.payouts_ready = ready
    db.session.flush()
    for react in hooks.payouts_readiness_changed.functions():  # the designer profile, which listings depend on
        react(account.user, ready)
