"""A split ruling through the Stripe gateway, against the local Stripe-speaking server:
one refund on the charge, one transfer from it to the designer's connected account."""

from __future__ import annotations

from disputes import operations
from extensions import commit, db
from models.payments import BusinessType, ConnectedAccount, PayoutProvider
from payments.gateways.stripe_gateway import StripeGateway
from payments.ledger import invariant_violations
from tests.disputes.factories import disputed, people

REASONING = "Half the units follow the prescription, as the thread and the deliveries show."


def _connected(designer, stripe_app, stripe_server) -> str:
    gateway = StripeGateway.from_config(stripe_app.config)
    account = gateway.create_express_account(
        email=designer.email,
        country="FR",
        business_type="individual",
        metadata={"user_id": str(designer.id)},
        idempotency_key="acct-d",
    )
    stripe_server.complete_onboarding(account["id"])
    db.session.add(
        ConnectedAccount(
            user_id=designer.id,
            provider=PayoutProvider.stripe,
            account_id=account["id"],
            business_type=BusinessType.individual,
            country="FR",
            details_submitted=True,
            payouts_ready=True,
        )
    )
    commit()
    return account["id"]


def test_a_split_refunds_the_charge_and_transfers_from_it_once(stripe_app, stripe_server):
    client, designer, agent = people()
    destination = _connected(designer, stripe_app, stripe_server)
    case, dispute = disputed(client, designer, amount_cents=12_345)
    operations.rule_dispute(
        dispute, actor=agent, outcome="split", designer_cents=6_789, reasoning=REASONING, now=dispute.answer_due_at
    )
    commit()
    made = {kind: [o for o in stripe_server.objects.values() if o["object"] == kind] for kind in ("refund", "transfer")}
    assert [r["amount"] for r in made["refund"]] == [5_556]
    [transfer] = made["transfer"]
    assert (transfer["amount"], transfer["destination"], transfer["transfer_group"]) == (
        6_178,
        destination,
        f"case-{case.reference}",
    )
    keys = [r[3] for r in stripe_server.requests if r[0] == "POST" and r[3]]
    assert f"case-{case.id}-refund-5556-1" in keys and f"case-{case.id}-transfer-6178-1" in keys
    assert len(keys) == len(set(keys))
    assert invariant_violations() == []
