"""The local Stripe server's card disputes (chargebacks): a cardholder disputes a charge, the
dispute moves under review, and closes won or lost, each with its balance transactions and
webhook events.

Mixed into StripeServer (which brings _new, _get, emit, the lock and the routing).
"""

from __future__ import annotations

import time


class CardDisputesEndpoints:
    def open_dispute(self, charge_id: str, *, reason: str = "fraudulent", fee: int = 1500) -> dict:
        """The cardholder disputed the charge with their bank: Stripe withdraws the disputed
        amount and its fee from the platform's balance; returns charge.dispute.created."""
        with self._lock:
            charge = self._get(charge_id, "charge")
            amount = charge["amount_captured"] - charge["amount_refunded"]
            charge["disputed"] = True
            dispute = self._new(
                "dp",
                "dispute",
                amount=amount,
                currency=charge["currency"],
                charge=charge_id,
                payment_intent=charge["payment_intent"],
                reason=reason,
                status="needs_response",
                is_charge_refundable=False,
                metadata={},
                evidence_details={
                    "due_by": int(time.time()) + 7 * 86400,
                    "has_evidence": False,
                    "past_due": False,
                    "submission_count": 0,
                },
                balance_transactions=[self._balance_transaction(-amount, fee, charge["currency"], "dispute")],
            )
            return self.emit("charge.dispute.created", dispute)

    def update_dispute(self, dispute_id: str, status: str = "under_review") -> dict:
        """Evidence was submitted: returns charge.dispute.updated."""
        with self._lock:
            dispute = self._get(dispute_id, "dispute")
            dispute["status"] = status
            dispute["evidence_details"]["has_evidence"] = True
            return self.emit("charge.dispute.updated", dispute)

    def close_dispute(self, dispute_id: str, *, won: bool) -> dict:
        """The bank decided. Won: the disputed amount comes back (Stripe keeps the fee); lost:
        it stays with the cardholder. Returns charge.dispute.closed."""
        with self._lock:
            dispute = self._get(dispute_id, "dispute")
            dispute["status"] = "won" if won else "lost"
            if won:
                dispute["balance_transactions"].append(
                    self._balance_transaction(dispute["amount"], 0, dispute["currency"], "dispute_reversal")
                )
            return self.emit("charge.dispute.closed", dispute)

    def dispute_net(self, dispute_id: str) -> int:
        """What the dispute did to the platform's balance (signed cents), as Stripe's book says."""
        return sum(t["net"] for t in self._get(dispute_id, "dispute")["balance_transactions"])

    def _balance_transaction(self, amount: int, fee: int, currency: str, category: str) -> dict:
        return self._new(
            "txn",
            "balance_transaction",
            amount=amount,
            fee=fee,
            net=amount - fee,
            currency=currency,
            type="adjustment",
            reporting_category=category,
        )
