"""Suspended and terminated account holders appeal once from the login page; another moderator decides."""

from __future__ import annotations

from email.header import decode_header, make_header

import pytest
import sqlalchemy as sa

from extensions import commit, db
from models.accounts import AccountStatus, StaffRole, User
from models.moderation import Appeal, AppealStatus, AuditEntry
from moderation.suspension import suspend_account, terminate_account
from tests.backoffice.factories import make_staff, staff_login
from tests.factories import PASSWORD, make_user

APPEAL = "I shared the lab's public order page, not my phone. Please look again."


@pytest.fixture
def decider():
    return make_staff(StaffRole.moderator, name="Maya Decider")


def _suspended(decider, **fields) -> User:
    user = make_user(name="Elena Marquez", **fields)
    suspend_account(user, actor=decider, reason="Shared a phone number")
    commit()
    return user


def _appeal(client, user, password=PASSWORD, text=APPEAL):
    return client.post("/account/appeal", data={"email": user.email, "password": password, "text": text})


def _appeals() -> list[Appeal]:
    return db.session.scalars(sa.select(Appeal)).all()


def test_the_login_page_offers_an_appeal_to_a_suspended_holder_only(client, decider):
    user = _suspended(decider)
    page = client.post("/account/login", data={"email": user.email, "password": PASSWORD}).get_data(as_text=True)
    assert "Appeal this decision" in page and 'href="/account/appeal"' in page
    wrong = client.post("/account/login", data={"email": user.email, "password": "not the password"})
    assert "Appeal this decision" not in wrong.get_data(as_text=True)


def test_a_suspended_holder_appeals_once_with_the_password(client, decider):
    user = _suspended(decider)
    assert "Wrong e-mail or password" in _appeal(client, user, password="wrong password!").get_data(as_text=True)
    assert _appeals() == []
    assert _appeal(client, user).status_code == 302
    [appeal] = _appeals()
    assert appeal.user_id == user.id and appeal.original_decider_id == decider.id and appeal.text == APPEAL
    second = _appeal(client, user, text="Please, once more.")
    assert "already appealed this decision" in second.get_data(as_text=True)
    assert len(_appeals()) == 1
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "appeal.filed")).actor_id == user.id


def test_an_appeal_with_contact_details_is_refused(client, decider):
    user = _suspended(decider)
    page = _appeal(client, user, text="Call me on +33 6 12 34 56 78 to sort this out").get_data(as_text=True)
    assert "contact-refusal" in page and _appeals() == []


def test_an_active_account_has_nothing_to_appeal(client):
    user = make_user()
    assert "you can log in" in _appeal(client, user).get_data(as_text=True)
    assert _appeals() == []


def _filed(client, decider, **fields) -> tuple[User, Appeal]:
    user = _suspended(decider, **fields)
    _appeal(client, user)
    [appeal] = _appeals()
    return user, appeal


def test_the_original_decider_cannot_decide_and_another_moderator_reinstates(app, client, decider, outbox):
    user, appeal = _filed(client, decider, locale="fr")
    staff_login(client, decider)
    assert "another moderator decides this appeal" in client.get(f"/backoffice/appeals/{appeal.id}").get_data(
        as_text=True
    )
    client.post(f"/backoffice/appeals/{appeal.id}/reinstate", data={"note": "Approved after review."})
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == AppealStatus.open
    assert db.session.get(User, user.id).status == AccountStatus.suspended

    other = app.test_client()
    staff_login(other, make_staff(StaffRole.moderator))
    assert "Elena Marquez" in other.get("/backoffice/appeals/").get_data(as_text=True)
    response = other.post(
        f"/backoffice/appeals/{appeal.id}/reinstate",
        data={"note": "The link was to our own site: the suspension is lifted."},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == AppealStatus.reinstated
    assert db.session.get(User, user.id).status == AccountStatus.active
    holder = app.test_client()
    assert holder.post("/account/login", data={"email": user.email, "password": PASSWORD}).status_code == 302
    mails = [m for m in outbox.read() if m["To"] == user.email]
    subjects = [str(make_header(decode_header(m["Subject"]))) for m in mails]
    assert "Votre appel est accepté : votre compte Occlusa est réactivé" in subjects
    assert len(mails) == 2  # the suspension, then the appeal's outcome (no second "reinstated" mail)
    actions = db.session.scalars(sa.select(AuditEntry.action).where(AuditEntry.action.like("appeal.%"))).all()
    assert sorted(actions) == ["appeal.filed", "appeal.reinstated"]
    assert "account.reinstated" in db.session.scalars(sa.select(AuditEntry.action)).all()


def test_upholding_keeps_the_account_barred_and_mails_in_english(app, client, decider, outbox):
    user, appeal = _filed(client, decider, locale="en")
    staff_login(client, make_staff(StaffRole.moderator))
    client.post(f"/backoffice/appeals/{appeal.id}/uphold", data={"note": "The message asked for WhatsApp."})
    db.session.expire_all()
    assert db.session.get(Appeal, appeal.id).status == AppealStatus.upheld
    holder = app.test_client()
    assert holder.post("/account/login", data={"email": user.email, "password": PASSWORD}).status_code == 200
    subjects = [m["Subject"] for m in outbox.read() if m["To"] == user.email]
    assert "Your appeal is decided: the decision stands" in subjects
    assert (
        db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "appeal.upheld")).reason
        == "The message asked for WhatsApp."
    )


def test_a_new_decision_may_be_appealed_again(client, decider):
    user, appeal = _filed(client, decider)
    terminate_account(user, actor=make_staff(StaffRole.moderator, StaffRole.admin), reason="Fraud")
    commit()
    assert _appeal(client, user, text="The termination is a mistake too.").status_code == 302
    assert len(_appeals()) == 2


def test_guessing_passwords_on_the_appeal_form_is_rate_limited(app, client, decider):
    user = _suspended(decider)
    app.config["RATELIMIT_APPEAL"] = "2 per minute"
    try:
        codes = [_appeal(client, user, password=f"guess number {n}").status_code for n in range(3)]
    finally:
        app.config["RATELIMIT_APPEAL"] = "1000 per minute"
    assert codes == [200, 200, 429]


def test_the_suspension_mail_points_to_the_appeal_not_to_a_reply(decider, outbox):
    _suspended(decider)
    [mail] = outbox.read()
    body = mail.get_payload(decode=True).decode()
    assert "/account/login" in body and "appeal" in body and "reply to this e-mail" not in body
