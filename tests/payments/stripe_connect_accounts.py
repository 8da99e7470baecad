"""The local Stripe server's Connect accounts: creating a designer's account, its onboarding
link, and finishing onboarding as Stripe's hosted pages would (`complete_onboarding`).

Mixed into StripeServer (which brings _new, _get, emit, the lock and the routing).
"""

from __future__ import annotations

import secrets
import time

from tests.payments.stripe_errors import StripeError


class ConnectAccountsEndpoints:
    def create_account(self, params: dict) -> dict:
        if params.get("type") not in ("express", "standard", "custom"):
            raise StripeError(400, "invalid_request_error", "Invalid account type.", param="type")
        return self._new(
            "acct",
            "account",
            type=params["type"],
            country=params.get("country", "US"),
            email=params.get("email"),
            business_type=params.get("business_type"),
            metadata=params.get("metadata", {}),
            details_submitted=False,
            charges_enabled=False,
            payouts_enabled=False,
            capabilities={"transfers": "inactive"},
            tos_acceptance=params.get("tos_acceptance", {}),
            requirements={"currently_due": ["external_account", "tos_acceptance.date"]},
        )

    def get_account(self, params: dict, id: str) -> dict:
        return self._get(id, "account")

    def create_account_link(self, params: dict) -> dict:
        account = self._get(params.get("account", ""), "account")
        for name in ("refresh_url", "return_url", "type"):
            if not params.get(name):
                raise StripeError(400, "invalid_request_error", f"Missing required param: {name}.", param=name)
        now = int(time.time())
        return {
            "object": "account_link",
            "created": now,
            "expires_at": now + 300,
            "url": f"https://connect.stripe.com/setup/e/{account['id']}/{secrets.token_urlsafe(12)}",
        }

    # -- test controls: what happens on Stripe's side without an API call ----------------------

    def complete_onboarding(self, account_id: str) -> dict:
        """The designer finished Stripe's onboarding pages: payouts enabled; returns account.updated."""
        with self._lock:
            account = self._get(account_id, "account")
            account.update(
                details_submitted=True,
                payouts_enabled=True,
                capabilities={"transfers": "active"},
                requirements={"currently_due": []},
            )
            return self.emit("account.updated", account)
