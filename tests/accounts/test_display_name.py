"""The name shown to others is screened for contact details like any text, and can be changed."""

from __future__ import annotations

import sqlalchemy as sa

from extensions import db
from models.accounts import User
from models.moderation import AuditEntry, Violation
from tests.factories import login as log_in
from tests.factories import make_user

SNEAKY = "WhatsApp +33 6 12 34 56 78 Lab"


def test_sign_up_refuses_a_name_with_contact_details_and_creates_nothing(client):
    response = client.post(
        "/account/signup",
        data={
            "display_name": SNEAKY,
            "email": "sneaky@example.com",
            "password": "a long password",
            "role": "hire",
            "accept_terms": "y",
        },
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and 'class="contact-refusal"' in page
    assert '<mark class="contact-finding"' in page
    assert db.session.scalar(sa.select(User).where(User.email == "sneaky@example.com")) is None


def test_a_name_can_be_changed_and_is_screened_again(client):
    user = make_user(name="Bright Smile Lab")
    log_in(client, user)
    refused = client.post("/account/settings", data={"action": "name", "nm-display_name": SNEAKY})
    assert 'class="contact-refusal"' in refused.get_data(as_text=True)
    db.session.refresh(user)
    assert user.display_name == "Bright Smile Lab"
    [violation] = db.session.scalars(sa.select(Violation).where(Violation.user_id == user.id)).all()
    assert "+33 6 12 34 56 78" in violation.text

    changed = client.post(
        "/account/settings",
        data={"action": "name", "nm-display_name": "  Bright   Smile Dental "},
        follow_redirects=True,
    )
    assert "Others now see you as Bright Smile Dental." in changed.get_data(as_text=True)
    db.session.refresh(user)
    assert user.display_name == "Bright Smile Dental"
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.name_changed"))
    assert entry.before == {"display_name": "Bright Smile Lab"} and entry.after == {
        "display_name": "Bright Smile Dental"
    }
