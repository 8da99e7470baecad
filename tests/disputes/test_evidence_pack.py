"""The evidence pack: the dispute's record as a PDF whose pages carry a SHA-256 chain that the
audit log recorded, read back with pdftotext as anyone checking a copy would."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from disputes import operations
from disputes.evidence_pack import ACTION, verify_pack
from disputes.evidence_pack_pdf import draw_pack, page_texts
from extensions import commit, db
from files.operations import delete_file
from messaging.operations import post_message
from messaging.threads import case_thread
from models.accounts import StaffRole
from models.cases import CaseFile, CaseFileRole
from models.files import FileKind, StoredFile
from models.messaging import Message, MessageAttachment
from models.moderation import AuditEntry
from tests.backoffice.factories import make_staff, staff_login
from tests.disputes.factories import ANSWER, STATEMENT, case_in_escrow, people, stored
from tests.factories import login, make_user

REASONING = "The crown on 36 ignores the margin line in the prescription; the occlusion is right."
SCAN_NAME = "jaw-of-patient-Martin.stl"


def _record(*, ruled: bool = True):
    """A disputed case with every kind of file: a patient scan (deleted after the hand-over), a
    delivery, a photo in the thread, evidence from both sides, a proposal, and a 40 % ruling."""
    customer, designer, agent = people()
    case = case_in_escrow(customer, designer)
    scan = stored(customer, SCAN_NAME, b"solid scan\n", kind=FileKind.patient_scan)
    db.session.add(CaseFile(case_id=case.id, file_id=scan.id, role=CaseFileRole.attachment))
    delete_file(scan, actor=None, reason="downloaded by the recipient")
    photo = stored(customer, "contacts.png", b"\x89PNG\r\n\x1a\n contacts", kind=FileKind.image)
    post_message(
        case_thread(case.id),
        actor=customer,
        body="Please tighten the contact points on 36.",
        attachments=[MessageAttachment(file_id=photo.id, name=photo.original_name, size=photo.size)],
    )
    commit()
    dispute = operations.open_dispute(
        case,
        actor=customer,
        reason="poor_quality",
        statement=STATEMENT,
        evidence=[("margin.png", iter([b"\x89PNG\r\n\x1a\n margin"]))],
    )
    operations.answer_dispute(
        dispute, actor=designer, statement=ANSWER, evidence=[("section.png", iter([b"\x89PNG\r\n\x1a\n section"]))]
    )
    proposal = operations.propose_settlement(dispute, actor=designer, designer_cents=6_000, note="Fair for both of us.")
    # Withdrawn, so one agent may rule otherwise (an open proposal set aside needs a second agent).
    operations.withdraw_settlement(proposal, actor=designer)
    if ruled:
        operations.rule_dispute(dispute, actor=agent, outcome="split", designer_cents=4_000, reasoning=REASONING)
    commit()
    return customer, designer, case, dispute


def _all_files(case, dispute) -> list[StoredFile]:
    ids = [f.file_id for f in db.session.scalars(sa.select(CaseFile).where(CaseFile.case_id == case.id))]
    ids += [e.file_id for e in dispute.evidence]
    ids += list(db.session.scalars(sa.select(MessageAttachment.file_id)))
    return [db.session.get(StoredFile, i) for i in ids]


def _agent_download(client, dispute):
    agent = make_staff(StaffRole.resolution_agent)
    staff_login(client, agent)
    page = client.get(f"/backoffice/resolution/{dispute.id}").get_data(as_text=True)
    assert f'href="/backoffice/resolution/{dispute.id}/evidence-pack"' in page and 'id="evidence-pack"' in page
    response = client.get(f"/backoffice/resolution/{dispute.id}/evidence-pack")
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return agent, response


def test_the_pack_lists_every_file_with_its_hash_and_the_ruling_with_its_money(client):
    _customer, _designer, case, dispute = _record()
    _agent, response = _agent_download(client, dispute)
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment;")
    assert response.headers["Cache-Control"] == "no-store"
    text = "\n".join(" ".join(page) for page in page_texts(response.data))
    files = _all_files(case, dispute)
    assert len(files) == 5
    for stored_file in files:
        assert stored_file.sha256 and stored_file.sha256 in text, stored_file
    # 40 % of $100: $40.00 to the designer before the fee, $60.00 back to the client.
    assert "To the designer: $40.00" in text and "Refunded to the client: $60.00" in text
    assert "Split between the client and the designer" in text and "occlusion is right" in text
    assert "proposes $60.00 to the designer" in text and "margin.png" in text and "contacts.png" in text
    assert "Deleted file" in text and SCAN_NAME not in text and "solid scan" not in text
    assert "Please tighten the contact points on 36." in text and "material" in text


def test_a_copy_verifies_and_a_copy_with_one_page_changed_does_not(client):
    _customer, _designer, _case, dispute = _record()
    _agent, response = _agent_download(client, dispute)
    check = verify_pack(response.data)
    assert check.valid, check.problems
    assert check.audit.object_id == str(dispute.id) and check.audit.after["fingerprint"] == check.fingerprint

    pages = page_texts(response.data)
    ruling_page = next(i for i, page in enumerate(pages) if any("$40.00" in line for line in page))

    def redrawn(change: bool) -> bytes:
        body = [
            [line.replace("$40.00", "$90.00") if change and i == ruling_page else line for line in page[1:-2]]
            for i, page in enumerate(pages)
        ]
        return draw_pack(title="copy", header=pages[0][0], pages=body, footers=[(p[-2], p[-1]) for p in pages])

    assert verify_pack(redrawn(change=False)).valid  # the same text, drawn again, still checks
    forged = verify_pack(redrawn(change=True))
    assert not forged.valid
    assert f"The text of page {ruling_page + 1} does not match its hash." in forged.problems
    assert forged.audit is None  # its chain ends in a fingerprint nobody exported


def test_every_export_is_an_audit_row_holding_the_fingerprint_printed_on_each_page(client):
    _customer, _designer, _case, dispute = _record()
    agent, response = _agent_download(client, dispute)
    row = db.session.scalar(sa.select(AuditEntry).where(AuditEntry.action == ACTION))
    assert row.actor_id == agent.id and row.object_type == "Dispute" and row.object_id == str(dispute.id)
    pages = page_texts(response.data)
    assert row.after["pages"] == len(pages)
    for page in pages:
        assert page[-1] == f"Pack fingerprint {row.after['fingerprint']}"


def test_the_parties_get_the_pack_only_after_the_ruling(client):
    customer, designer, _case, dispute = _record(ruled=False)
    for party in (customer, designer):
        login(client, party)
        assert client.get(f"/disputes/{dispute.id}/evidence-pack").status_code == 404
        assert "evidence-pack" not in client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
        client.post("/account/logout")
    agent = make_user(name="Sam Agent", roles=(StaffRole.resolution_agent,))
    operations.rule_dispute(dispute, actor=agent, outcome="split", designer_cents=4_000, reasoning=REASONING)
    commit()
    for party in (customer, designer):
        login(client, party)
        assert 'id="evidence-pack"' in client.get(f"/disputes/{dispute.id}").get_data(as_text=True)
        response = client.get(f"/disputes/{dispute.id}/evidence-pack")
        assert response.status_code == 200 and response.mimetype == "application/pdf"
        check = verify_pack(response.data)
        assert check.valid and check.audit.actor_id == party.id, check.problems
        client.post("/account/logout")
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == ACTION)) == 2


def test_a_french_reader_gets_the_pack_in_french_and_it_verifies_the_same_way(client):
    customer, _designer, _case, dispute = _record()
    customer.locale = "fr"
    commit()
    login(client, customer)
    response = client.get(f"/disputes/{dispute.id}/evidence-pack")
    assert response.status_code == 200
    text = "\n".join(" ".join(page) for page in page_texts(response.data))
    assert "Dossier de preuves Occlusa" in text and "Empreinte du dossier" in text and "Fichier supprimé" in text
    assert "40,00" in text and "60,00" in text
    assert verify_pack(response.data).valid


def test_a_stranger_and_staff_without_the_second_factor_get_no_pack(client):
    _customer, _designer, _case, dispute = _record()
    stranger = make_user(name="Nosy Lab")
    login(client, stranger)
    assert client.get(f"/disputes/{dispute.id}/evidence-pack").status_code == 404
    client.post("/account/logout")
    agent = make_staff(StaffRole.resolution_agent)
    login(client, agent)  # password only
    assert client.get(f"/disputes/{dispute.id}/evidence-pack").status_code == 404
    assert client.get(f"/backoffice/resolution/{dispute.id}/evidence-pack").status_code == 302  # to the code
    assert db.session.scalar(sa.select(sa.func.count(AuditEntry.id)).where(AuditEntry.action == ACTION)) == 0


def test_a_long_thread_runs_over_many_pages_and_still_verifies(client):
    customer, designer, case, dispute = _record()
    conversation = case_thread(case.id)
    first = db.session.scalar(sa.select(sa.func.min(Message.created_at)))
    db.session.add_all(
        Message(
            conversation_id=conversation.id,
            sender_id=(customer, designer)[n % 2].id,
            body=f"Note {n:03d}: the contact on 36 is still open by {n} microns.",
            created_at=first + timedelta(seconds=n),
        )
        for n in range(450)
    )
    commit()
    _agent, response = _agent_download(client, dispute)
    check = verify_pack(response.data)
    assert check.valid and check.pages > 10, check.problems
    text = "\n".join(" ".join(page) for page in page_texts(response.data))
    assert "Note 000:" in text and "Note 449:" in text


def test_a_thread_in_any_script_prints_what_the_font_can_draw_and_still_verifies(client):
    customer, _designer, case, dispute = _record()
    db.session.add(
        Message(
            conversation_id=case_thread(case.id).id,
            sender_id=customer.id,
            body="Zoë “naïve” — Ελληνικά Кириллица 日本語 😀 עברית ﬁ ＡＢＣ ½\tend\u200b",
        )
    )
    commit()
    _agent, response = _agent_download(client, dispute)
    assert verify_pack(response.data).valid
    text = "\n".join(" ".join(page) for page in page_texts(response.data))
    assert "Zoë “naïve” — Ελληνικά Кириллица ??? ? ????? ﬁ" in text


def test_the_command_line_checks_a_copy(app, tmp_path, client):
    _customer, _designer, _case, dispute = _record()
    _agent, response = _agent_download(client, dispute)
    good, bad = tmp_path / "pack.pdf", tmp_path / "other.pdf"
    good.write_bytes(response.data)
    bad.write_bytes(response.data.replace(b"%PDF", b"%PDX", 1)[:2000])
    runner = app.test_cli_runner()
    result = runner.invoke(args=["verify-evidence-pack", str(good)])
    assert result.exit_code == 0 and "valid:" in result.output
    assert verify_pack(response.data).fingerprint in result.output
    assert runner.invoke(args=["verify-evidence-pack", str(bad)]).exit_code != 0
