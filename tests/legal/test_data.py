"""A user's data: the export ZIP holds their profile, cases, messages, reviews and invoices and
only they can download it; closing an account erases what it says and keeps what it says."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta

import sqlalchemy as sa

from accounts.devices import record_sign_in
from extensions import commit, db
from jobs.sweep import run_sweeps
from messaging.operations import post_message
from messaging.threads import case_thread
from models.accounts import AccountStatus, User
from models.cases import CaseState
from models.legal import DataExport, ExportState
from models.payments import Invoice
from models.profiles import DesignerProfile
from models.trust import SignInDevice
from tests.cases.factories import drive, make_case, make_parties
from tests.factories import PASSWORD, login


def _completed_case_with_a_message():
    client_user, designer = make_parties()
    db.session.add(
        DesignerProfile(
            user_id=designer.id, real_name="Ana Ferreira", country="PT", tax_id="PT123456789", bio="Crowns since 2012"
        )
    )
    commit()
    case = make_case(client_user, designer)
    case = drive(case, CaseState.completed)
    post_message(case_thread(case.id), actor=client_user, body="Thank you, margins are perfect.")
    commit()
    return client_user, designer, case


def _export_of(client) -> zipfile.ZipFile:
    response = client.post("/account/data")
    assert response.status_code == 302
    export = db.session.scalars(sa.select(DataExport).order_by(DataExport.id.desc())).first()
    assert export.state == ExportState.ready  # without Redis the job ran after the commit
    page = client.get("/account/data").get_data(as_text=True)
    assert f"/account/data/exports/{export.id}.zip" in page
    download = client.get(f"/account/data/exports/{export.id}.zip")
    assert download.status_code == 200 and download.mimetype == "application/zip"
    assert download.headers["Cache-Control"] == "no-store"
    return zipfile.ZipFile(io.BytesIO(download.data))


def test_the_export_holds_profile_cases_messages_reviews_and_invoices(client):
    client_user, designer, case = _completed_case_with_a_message()
    login(client, designer)
    archive = _export_of(client)
    names = set(archive.namelist())
    assert {"README.txt", "profile.json", "cases.json", "messages.json", "reviews.json"} <= names
    profile = json.loads(archive.read("profile.json"))
    assert profile["account"]["email"] == designer.email
    assert profile["designer_profile"]["tax_id"] == "PT123456789"
    assert {a["document"] for a in profile["legal_acceptances"]} == {"terms", "privacy"}
    cases = json.loads(archive.read("cases.json"))
    assert [(c["reference"], c["your_role"], c["state"]) for c in cases] == [(case.reference, "designer", "completed")]
    assert cases[0]["price_cents"] == 12_000 and cases[0]["fee_cents"] > 0
    assert [h["action"] for h in cases[0]["history"]][:2] == ["send", "accept"]
    messages = json.loads(archive.read("messages.json"))
    texts = [m["text"] for conversation in messages for m in conversation["messages"]]
    assert "Thank you, margins are perfect." in texts
    invoices = db.session.scalars(
        sa.select(Invoice).where(
            sa.or_(Invoice.issuer_user_id == designer.id, Invoice.recipient_user_id == designer.id)
        )
    ).all()
    assert invoices and {f"invoices/{i.display_number}.pdf" for i in invoices} <= names
    assert archive.read(f"invoices/{invoices[0].display_number}.pdf").startswith(b"%PDF")


def test_the_client_export_holds_their_side_only(client):
    client_user, designer, case = _completed_case_with_a_message()
    login(client, client_user)
    archive = _export_of(client)
    profile = json.loads(archive.read("profile.json"))
    assert profile["account"]["email"] == client_user.email and profile["designer_profile"] is None
    assert json.loads(archive.read("cases.json"))[0]["your_role"] == "client"
    assert "PT123456789" not in archive.read("profile.json").decode()


def test_nobody_else_can_download_an_export(app, client):
    client_user, designer, _case = _completed_case_with_a_message()
    login(client, designer)
    client.post("/account/data")
    export_id = db.session.scalar(sa.select(DataExport.id))
    other = app.test_client()
    login(other, client_user)
    assert other.get(f"/account/data/exports/{export_id}.zip").status_code == 404
    assert app.test_client().get(f"/account/data/exports/{export_id}.zip").status_code == 302  # to the login page


def test_a_second_request_while_one_is_prepared_is_refused(client):
    client_user, _designer, _case = _completed_case_with_a_message()
    db.session.add(DataExport(user_id=client_user.id, state=ExportState.pending))
    commit()
    login(client, client_user)
    page = client.post("/account/data", follow_redirects=True).get_data(as_text=True)
    assert "being prepared" in page
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DataExport)) == 1


def test_exports_are_deleted_after_their_days(app, client):
    client_user, _designer, _case = _completed_case_with_a_message()
    login(client, client_user)
    client.post("/account/data")
    export = db.session.scalar(sa.select(DataExport))
    run_sweeps(now=export.expires_at - timedelta(minutes=1))
    db.session.refresh(export)
    assert export.state == ExportState.ready
    run_sweeps(now=export.expires_at + timedelta(minutes=1))
    db.session.expire_all()
    export = db.session.scalar(sa.select(DataExport))
    assert export.state == ExportState.expired and export.data is None
    assert client.get(f"/account/data/exports/{export.id}.zip").status_code == 404


def test_closing_an_account_erases_what_the_policy_says_and_keeps_the_invoices(client):
    client_user, designer, case = _completed_case_with_a_message()
    record_sign_in(designer, user_agent="Firefox", address="203.0.113.7")
    commit()
    invoices_before = db.session.scalar(sa.select(sa.func.count()).select_from(Invoice))
    issued_as = db.session.scalar(sa.select(Invoice).where(Invoice.issuer_user_id == designer.id)).issuer["name"]
    login(client, designer)
    client.post("/account/data")
    response = client.post("/account/settings", data={"action": "delete", "del-password": PASSWORD, "del-confirm": "y"})
    assert response.status_code == 302
    db.session.expire_all()
    user = db.session.get(User, designer.id)
    assert user.status == AccountStatus.deleted and user.display_name == "Deleted account"
    profile = db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == designer.id))
    assert (profile.real_name, profile.tax_id, profile.bio) == ("", "", "")
    assert (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(SignInDevice).where(SignInDevice.user_id == designer.id)
        )
        == 0
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(DataExport)) == 0
    # Kept for accounting: the invoices, with the name they were issued under.
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Invoice)) == invoices_before
    issued = db.session.scalar(sa.select(Invoice).where(Invoice.issuer_user_id == designer.id))
    assert issued.issuer["name"] == issued_as != "Deleted account"
    # The case stays, for the client it was done for.
    assert db.session.get(type(case), case.id).state == CaseState.completed


def test_a_new_export_replaces_the_earlier_one(client):
    client_user, _designer, _case = _completed_case_with_a_message()
    login(client, client_user)
    client.post("/account/data")
    client.post("/account/data")
    states = db.session.execute(sa.select(DataExport.state, DataExport.data.is_(None)).order_by(DataExport.id)).all()
    assert states == [(ExportState.expired, True), (ExportState.ready, False)]
