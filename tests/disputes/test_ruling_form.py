"""The ruling form: a split by percentage or amount, previewed to the cent by the function the
money movement uses, a proposal adopted into the form, standard reasonings in two languages."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa

from disputes import operations
from disputes.ruling_money import percent_of, ruling_money
from extensions import commit, db
from models.accounts import StaffRole
from models.disputes import Ruling
from payments.case_money import case_money, format_money
from payments.ledger import ESCROW, balance, invariant_violations
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import ANSWER, disputed, people, reload
from tests.factories import login

REASONING = "The crown on 36 is usable but its margin needs rework, so the amount is shared."


def answered(amount_cents: int):
    customer, designer, _agent = people()
    case, dispute = disputed(customer, designer, amount_cents=amount_cents)
    operations.answer_dispute(dispute, actor=designer, statement=ANSWER)
    commit()
    return customer, designer, case, reload(dispute)


def agent_on(client, dispute):
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    client.post(f"/backoffice/resolution/{dispute.id}/take")  # opening alone claims nothing
    assert client.get(f"/backoffice/resolution/{dispute.id}").status_code == 200
    return agent


@pytest.mark.parametrize(
    "amount, percent, designer_part",
    [
        (10_001, "1", 100),  # 100.01 → 100
        (10_001, "33", 3_300),  # 3 300.33 → 3 300
        (10_001, "99", 9_901),  # 9 900.99 → 9 901
        (12_345, "33", 4_074),  # 4 073.85 → 4 074
        (33_333, "99", 33_000),  # 32 999.67 → 33 000
        (10_001, "50", 5_001),  # 5 000.5 → 5 001: half up
    ],
)
def test_a_percentage_split_rounds_half_up_and_refund_net_and_fee_make_the_captured_amount(
    amount, percent, designer_part
):
    _customer, _designer, case, dispute = answered(amount)
    agent = make_staff(StaffRole.resolution_agent)
    assert percent_of(amount, Decimal(percent)) == designer_part
    preview = ruling_money(case, "split", percent=percent)
    ruling = operations.rule_dispute(dispute, actor=agent, outcome="split", percent=percent, reasoning=REASONING)
    commit()
    money = case_money(reload(case))
    assert money.refunded_cents + money.designer_net_cents + money.fee_cents == money.captured_cents == amount
    assert (money.refunded_cents, money.designer_gross_cents, money.fee_cents, money.designer_net_cents) == (
        preview.refund_cents,
        preview.designer_cents,
        preview.fee_cents,
        preview.designer_net_cents,
    )
    assert (ruling.designer_cents, ruling.refund_cents) == (designer_part, amount - designer_part)
    assert balance(ESCROW) == 0 and invariant_violations() == []


def test_the_previewed_figures_are_the_ledger_after_the_ruling(client):
    customer, designer, case, dispute = answered(12_345)
    agent_on(client, dispute)
    answer = client.get(
        f"/backoffice/resolution/{dispute.id}/ruling-preview",
        query_string={"outcome": "split", "split_by": "percent", "designer_percent": "40"},
    )
    assert answer.status_code == 200 and answer.is_json
    figures = answer.get_json()["figures"]
    assert db.session.scalar(sa.select(sa.func.count(Ruling.id))) == 0  # a preview moves nothing
    response = client.post(
        f"/backoffice/resolution/{dispute.id}/rule",
        data={
            "outcome": "split",
            "split_by": "percent",
            "designer_percent": "40",
            "reasoning": REASONING,
            "action": "rule",
        },
    )
    assert response.status_code == 302
    money = case_money(reload(case))
    ledger = {
        "refund": money.refunded_cents,
        "gross": money.designer_gross_cents,
        "fee": money.fee_cents,
        "net": money.designer_net_cents,
    }
    assert (
        {name: f["cents"] for name, f in figures.items()}
        == ledger
        == {"refund": 7_407, "gross": 4_938, "fee": 444, "net": 4_494}
    )
    assert {name: f["text"] for name, f in figures.items()} == {
        name: format_money(cents) for name, cents in ledger.items()
    }


def test_without_script_the_preview_button_shows_the_figures_and_moves_nothing(client):
    _customer, _designer, case, dispute = answered(12_345)
    agent_on(client, dispute)
    page = client.post(
        f"/backoffice/resolution/{dispute.id}/rule",
        data={
            "outcome": "split",
            "split_by": "amount",
            "designer_amount": "49.38",
            "reasoning": "",
            "action": "preview",
        },
    )
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert 'id="preview-refund">$74.07<' in body and 'id="preview-net">$44.94<' in body
    assert 'id="preview-fee">$4.44<' in body and 'id="preview-gross">$49.38<' in body
    assert balance(ESCROW) == 12_345 and reload(dispute).is_active


def test_adopting_a_proposal_fills_the_form_with_its_amount(client):
    customer, _designer, case, dispute = answered(10_000)
    proposal = operations.propose_settlement(
        dispute, actor=customer, designer_cents=3_550, note="Half of the work is usable."
    )
    commit()
    agent_on(client, dispute)
    detail = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert f'id="adopt-proposal-{proposal.id}"' in detail
    body = client.get(f"/backoffice/resolution/{dispute.id}/adopt/{proposal.id}").get_data(as_text=True)
    assert 'checked class="form-check-input" id="outcome-2"' in body  # split
    assert 'checked class="form-check-input" id="split_by-1"' in body  # by amount
    assert 'name="designer_amount"' in body and 'value="35.50"' in body
    assert 'id="preview-gross">$35.50<' in body and 'id="preview-refund">$64.50<' in body


def test_standard_reasonings_are_offered_per_outcome_in_english_and_french(client):
    _customer, _designer, _case, dispute = answered(10_000)
    agent_on(client, dispute)
    body = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert 'id="canned_reasoning"' in body
    for outcome in ("refund", "pay_designer", "split"):
        assert body.count(f'data-outcome="{outcome}"') == 4  # two texts, in English and in French
    assert "The design was not delivered in a usable form within the agreed time" in body
    assert "Le design n&#39;a pas été livré" in body or "Le design n'a pas été livré" in body


def test_the_preview_is_hidden_from_everyone_but_agents_who_passed_the_second_factor(client):
    customer, _designer, _case, dispute = answered(10_000)
    url = f"/backoffice/resolution/{dispute.id}/ruling-preview?outcome=refund"
    login(client, customer)
    assert client.get(url).status_code == 404
    client.post("/account/logout")
    staff_login(client, make_staff(StaffRole.moderator))
    assert client.get(url).status_code == 404
    client.post("/account/logout")
    agent = make_staff(StaffRole.resolution_agent)
    login(client, agent)  # password alone: the back office's guard asks for the code, nothing is served
    answer = client.get(url)
    assert answer.status_code == 302 and "/backoffice/second-factor" in answer.headers["Location"]
    assert not answer.is_json
    client.post("/account/logout")
    staff_login(client, agent)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"split_by": "percent", "designer_percent": "100.5"}, "Enter a percentage from 0 to 100"),
        ({"split_by": "percent", "designer_percent": "33.333"}, "at most two decimals"),
        ({"split_by": "percent", "designer_percent": "-4"}, "Enter a percentage from 0 to 100"),
        ({"split_by": "percent", "designer_percent": "NaN"}, "Enter a percentage from 0 to 100"),
        ({"split_by": "percent", "designer_percent": "0"}, "more than nothing and less than the whole amount"),
        ({"split_by": "amount", "designer_amount": "12.345"}, "An amount has at most two decimals"),
        ({"split_by": "amount", "designer_amount": "100.00"}, "more than nothing and less than the whole amount"),
    ],
)
def test_a_bad_percentage_or_amount_is_refused_with_a_message_and_moves_nothing(client, fields, message):
    _customer, _designer, case, dispute = answered(10_000)
    agent_on(client, dispute)
    answer = client.get(
        f"/backoffice/resolution/{dispute.id}/ruling-preview", query_string={"outcome": "split", **fields}
    )
    assert answer.status_code == 400 and message in " ".join(answer.get_json()["errors"])
    page = client.post(
        f"/backoffice/resolution/{dispute.id}/rule",
        data={"outcome": "split", "reasoning": REASONING, "action": "rule", **fields},
        follow_redirects=True,
    )
    assert message in page.get_data(as_text=True)
    assert balance(ESCROW) == 10_000 and reload(dispute).is_active
