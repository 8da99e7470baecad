"""The whole account on one back-office page: every section, linked accounts, and the actions."""

from __future__ import annotations

import sqlalchemy as sa

from accounts.devices import network_prefix
from backoffice import account_sections
from extensions import commit, db
from models.accounts import StaffRole
from models.cases import Review
from models.messaging import Notification
from models.moderation import AuditEntry
from models.payments import BusinessType, ConnectedAccount, IbanProvider, PayoutProvider
from models.trust import SignInDevice, StaffNote
from models.verification import VerificationStatus, VerificationSubmission
from moderation import violations
from tests.backoffice.factories import make_pending_listing, make_ready_designer, make_staff, staff_login
from tests.disputes.factories import case_in_escrow, disputed
from tests.factories import PASSWORD, login, make_user
from tests.statements import statements

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
SAFARI = "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_2) AppleWebKit/605.1.15 Version/17.2 Safari/605.1.15"


def log_in_from(app, user, *, address: str, agent: str):
    browser = app.test_client()
    response = browser.post(
        "/account/login",
        data={"email": user.email, "password": PASSWORD},
        environ_base={"REMOTE_ADDR": address},
        headers={"User-Agent": agent},
    )
    assert response.status_code == 302, response.get_data(as_text=True)[:300]
    return browser


def page_of(client, user, **args) -> str:
    response = client.get(f"/backoffice/accounts/{user.id}", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def submission(designer, verifier, *, status=VerificationStatus.rejected, reason="Blurred passport photo"):
    row = VerificationSubmission(
        designer_id=designer.id,
        nationality="ES",
        status=status,
        verifier_id=verifier.id,
        reason=reason,
        document_summary=[{"type": "passport", "sha256": "ab" * 32}],
    )
    db.session.add(row)
    commit()
    return row


def test_each_section_shows_the_accounts_own_rows(app, client, request_context):
    designer = make_ready_designer(name="Dana Designer")
    make_pending_listing(designer, title="Zirconia crowns in exocad")
    submission(designer, make_staff(StaffRole.verifier, name="Vera Verifier"))
    buyer, stranger = make_user(name="Lab North"), make_user(name="Somebody Else")
    case = case_in_escrow(buyer, designer, amount_cents=12_300)
    other_case, _dispute = disputed(buyer, designer)
    unrelated = case_in_escrow(stranger, make_ready_designer())
    db.session.add_all(
        [
            Review(
                case_id=case.id,
                author_id=buyer.id,
                subject_id=designer.id,
                about_designer=True,
                stars=5,
                text="Margins were perfect",
            ),
            Review(
                case_id=case.id,
                author_id=designer.id,
                subject_id=buyer.id,
                about_designer=False,
                stars=4,
                text="Clear prescription",
            ),
        ]
    )
    violations.report_user(designer, reporter=buyer, reason="fraud", note="Same person as another account")
    violations.report_user(stranger, reporter=designer, reason="spam")
    commit()
    log_in_from(app, designer, address="198.51.100.23", agent=FIREFOX)
    staff_login(client, make_staff(StaffRole.moderator))

    page = page_of(client, designer)

    assert "Blurred passport photo" in page and "Vera Verifier" in page and "passport" in page
    assert "ab" * 32 not in page  # a decision and the document types, never the documents
    assert "Zirconia crowns in exocad" in page
    assert case.reference in page and other_case.reference in page and unrelated.reference not in page
    assert "$123.00" in page  # the case's money is in escrow
    assert "Margins were perfect" in page and "Clear prescription" in page
    assert "Same person as another account" not in page  # reports are listed, their notes stay in the queue
    assert "against Somebody Else" in page and "by Lab North" in page
    assert FIREFOX in page and "198.51.100.0/24" in page and "198.51.100.23" not in page


def test_long_sections_are_paged(client, monkeypatch):
    monkeypatch.setattr(account_sections, "PER_SECTION", 2)
    user = make_user()
    moderator = make_staff(StaffRole.moderator)
    for n in range(3):
        db.session.add(StaffNote(user_id=user.id, author_id=moderator.id, text=f"Note number {n}"))
    commit()
    staff_login(client, moderator)
    first = page_of(client, user)
    assert "Note number 2" in first and "Note number 1" in first and "Note number 0" not in first
    assert "notes_page=2" in first
    assert "Note number 0" in page_of(client, user, notes_page=2)


def test_only_the_network_prefix_is_kept():
    assert network_prefix("203.0.113.77") == "203.0.113.0/24"
    assert network_prefix("2001:db8:aa:bb::5") == "2001:db8:aa::/48"
    assert network_prefix("::ffff:203.0.113.77") == "203.0.113.0/24"
    assert network_prefix("not an address") is None


def test_login_records_browser_and_prefix_first_and_last_seen(app):
    user = make_user()
    log_in_from(app, user, address="203.0.113.77", agent=FIREFOX)
    log_in_from(app, user, address="203.0.113.90", agent=FIREFOX)
    devices = db.session.scalars(sa.select(SignInDevice).where(SignInDevice.user_id == user.id)).all()
    assert [(d.user_agent, d.ip_prefix, d.sign_ins) for d in devices] == [(FIREFOX, "203.0.113.0/24", 2)]
    assert devices[0].last_seen_at >= devices[0].first_seen_at


def test_accounts_linked_by_device_network_and_payout_are_shown_with_what_they_share(app, client):
    banned = make_user(name="Banned Bob")
    same_device, same_network, elsewhere = (
        make_user(name="Second Bob"),
        make_user(name="Flatmate"),
        make_user(name="Far Away"),
    )
    log_in_from(app, banned, address="203.0.113.10", agent=FIREFOX)
    log_in_from(app, same_device, address="203.0.113.200", agent=FIREFOX)
    log_in_from(app, same_network, address="203.0.113.50", agent=SAFARI)
    log_in_from(app, elsewhere, address="192.0.2.1", agent=FIREFOX)
    payee = make_user(name="Payee Pat", designer=True)
    for owner, account_id in ((banned, "acct_1"), (payee, "acct_2")):
        db.session.add(
            ConnectedAccount(
                user_id=owner.id,
                provider=PayoutProvider.stripe,
                account_id=account_id,
                business_type=BusinessType.individual,
                country="LT",
                iban_provider=IbanProvider.wise,
                iban_last4="4321",
            )
        )
    commit()
    staff_login(client, make_staff(StaffRole.moderator))

    page = page_of(client, banned)
    linked = page.split('id="linked-table"')[1].split("</table>")[0]

    assert "Second Bob" in linked and f"same device: {FIREFOX} on 203.0.113.0/24" in linked
    assert "Flatmate" in linked and "same network: 203.0.113.0/24" in linked
    assert "Payee Pat" in linked and "wise IBAN from LT ending 4321" in linked
    assert "Far Away" not in linked


def test_force_logout_makes_the_captured_session_cookie_anonymous(app, client):
    user = make_user()
    browser = app.test_client()
    login(browser, user)
    captured = browser.get_cookie("session").value
    assert browser.get("/account/settings").status_code == 200
    moderator = make_staff(StaffRole.moderator)
    staff_login(client, moderator)

    response = client.post(f"/backoffice/accounts/{user.id}/logout", data={"reason": "Cookie stolen, says the user"})

    assert response.status_code == 302
    replay = app.test_client()
    replay.set_cookie("session", captured)
    assert replay.get("/account/settings").status_code == 302  # to the login page: nobody is signed in
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.sessions_ended"))
    assert entry.actor_id == moderator.id and entry.object_id == str(user.id)


def test_force_logout_needs_a_reason(app, client):
    user = make_user()
    staff_login(client, make_staff(StaffRole.moderator))
    client.post(f"/backoffice/accounts/{user.id}/logout", data={"reason": " "})
    db.session.expire_all()
    assert db.session.get(type(user), user.id).session_version == 1


def test_a_staff_note_is_listed_and_audited(client):
    user = make_user()
    moderator = make_staff(StaffRole.moderator, name="Mona Moderator")
    staff_login(client, moderator)

    client.post(f"/backoffice/accounts/{user.id}/notes", data={"text": "Called the lab: the second account is theirs."})
    client.post(f"/backoffice/accounts/{user.id}/notes", data={"text": "   "})

    notes = db.session.scalars(sa.select(StaffNote).where(StaffNote.user_id == user.id)).all()
    assert [(n.text, n.author_id) for n in notes] == [("Called the lab: the second account is theirs.", moderator.id)]
    entry = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.note_added"))
    assert entry.actor_id == moderator.id and entry.object_id == str(user.id)
    page = page_of(client, user)
    assert "Called the lab: the second account is theirs." in page and "Mona Moderator" in page


def test_a_warning_reaches_the_user_and_is_audited(client):
    user = make_user()
    staff_login(client, make_staff(StaffRole.moderator))
    client.post(f"/backoffice/accounts/{user.id}/warn", data={"note": "Keep the talk on Occlusa, please."})
    notice = db.session.scalar(sa.select(Notification).where(Notification.user_id == user.id))
    assert notice.event == "warning" and notice.body == "Keep the talk on Occlusa, please."
    assert db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == "account.warned")) is not None


def test_the_page_is_moderation_only(client):
    user = make_user()
    for role in (StaffRole.verifier, StaffRole.resolution_agent):
        staff = make_staff(role)
        staff_login(client, staff)
        assert client.get(f"/backoffice/accounts/{user.id}").status_code == 404
        assert client.post(f"/backoffice/accounts/{user.id}/notes", data={"text": "x"}).status_code == 404
        client.post("/account/logout")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(StaffNote)) == 0


def _grow(app, designer, subcategories, n: int) -> None:
    """n more rows in every section, each with a different person on the other side."""
    for i in range(n):
        other = make_user()
        case = case_in_escrow(other, designer)
        db.session.add_all(
            [
                Review(
                    case_id=case.id,
                    author_id=other.id,
                    subject_id=designer.id,
                    about_designer=True,
                    stars=5,
                    text="Good",
                ),
                Review(
                    case_id=case.id,
                    author_id=designer.id,
                    subject_id=other.id,
                    about_designer=False,
                    stars=5,
                    text="Good",
                ),
            ]
        )
        disputed(make_user(), designer)
        submission(designer, make_staff(StaffRole.verifier))
        violations.report_user(designer, reporter=other, reason="spam")
        violations.report_user(other, reporter=designer, reason="spam")
        db.session.add(StaffNote(user_id=designer.id, author_id=make_staff(StaffRole.moderator).id, text="Seen"))
        make_pending_listing(designer, title=f"Listing {i}", subcategory=next(subcategories))
        log_in_from(app, designer, address=f"198.51.{100 + i}.9", agent=FIREFOX)
        log_in_from(app, make_user(), address=f"198.51.{100 + i}.10", agent=FIREFOX)
        commit()


def test_the_page_runs_the_same_number_of_queries_however_long_the_history(app, client, monkeypatch):
    monkeypatch.setattr(account_sections, "PER_SECTION", 2)
    designer, moderator = make_ready_designer(), make_staff(StaffRole.moderator)
    subcategories = iter(["anatomic_crown", "coping", "cutback", "provisional"])  # one listing per subcategory
    _grow(app, designer, subcategories, 1)
    staff_login(client, moderator)
    url = f"/backoffice/accounts/{designer.id}"
    few = statements(client, url)

    _grow(app, designer, subcategories, 3)

    assert statements(client, url) == few
