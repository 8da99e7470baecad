"""Each transition of a case (accept, deliver, complete) runs a fixed number of SQL statements,
through its domain function and through its page: a transition holds the case's row lock while
it runs, so a query added to the path (a reload, a lazy load, a flush too many) shows here first.
Issue #21: a transition within 20 ms of server time on PostgreSQL (bench/case_transitions.py)."""

from __future__ import annotations

import io

import pytest

import jobs
from cases import process
from extensions import commit, db
from models.cases import CaseState
from tests.cases.factories import design_file, make_case
from tests.factories import PASSWORD
from tests.statements import Counted

STL = b"solid crown\nendsolid crown\n"
# The statements of each transition up to its commit (its jobs run after it, elsewhere), per
# test database: the lock (with both parties), the change, the money (the capture: the sandbox
# gateway's own book included; on SQLite the savepoints of its independent writes too, and a
# journal's entries one INSERT each; the payout: its movement recorded pending, one INSERT, the
# gateway asked by its job), the case event, the notice; on SQLite the catalogue generation's bump
# (storefront's visitor page cache) in the money's independent write as well.
DOMAIN = {
    "sqlite": {"accept": 22, "deliver": 9, "complete": 9},
    "postgresql": {"accept": 16, "deliver": 9, "complete": 9},
}
# The same through the page, plus the signed-in user with their roles (one statement) and the catalogue
# generation's bump before the request's commit; the delivery also reads the case before it stores
# the upload (the others lock it at once, and the action takes it as locked).
PAGES = {
    "sqlite": {"accept": 24, "deliver": 12, "complete": 11},
    "postgresql": {"accept": 18, "deliver": 12, "complete": 11},
}


@pytest.fixture(autouse=True)
def held_jobs(monkeypatch):
    """The jobs the transitions hand over after their commit, held back (as with Redis), so the
    counts are the transitions' own."""
    held = []
    monkeypatch.setattr(jobs, "_dispatch", lambda func, args, kwargs: held.append(func.__name__))
    return held


def _counted(call) -> int:
    with Counted() as counted:
        call()
        db.session.flush()
    commit()
    return counted.seen


def test_each_transition_by_its_domain_function_runs_a_fixed_number_of_statements(held_jobs):
    case = make_case()
    design = design_file(case.designer)
    commit()
    client, designer = case.client, case.designer  # as a request has its signed-in user
    seen = {
        "accept": _counted(lambda: process.accept_case(case, actor=designer)),
        "deliver": _counted(lambda: process.deliver_case(case, actor=designer, note="Here", files=[design])),
        "complete": _counted(lambda: process.complete_case(case, actor=client)),
    }
    assert seen == DOMAIN[db.engine.dialect.name]
    assert case.state == CaseState.completed
    # The payout is asked of the gateway after the commit, not in it; its job draws the invoices.
    assert "carry_out" in held_jobs and "render_case_invoices" not in held_jobs


def test_each_transition_through_its_page_runs_a_fixed_number_of_statements(app, login):
    case = make_case()
    reference, client, designer = case.reference, case.client, case.designer
    as_designer, as_client = app.test_client(), app.test_client()
    for browser, user in ((as_designer, designer), (as_client, client)):
        browser.post("/account/login", data={"email": user.email, "password": PASSWORD})
    posts = {
        "accept": lambda: as_designer.post(f"/cases/{reference}/accept"),
        "deliver": lambda: as_designer.post(
            f"/cases/{reference}/deliver",
            data={"deliver-note": "Here", "deliver-files": (io.BytesIO(STL), "crown.stl")},
            content_type="multipart/form-data",
        ),
        "complete": lambda: as_client.post(f"/cases/{reference}/complete", data={"confirm": "release"}),
    }
    seen = {}
    for name, post in posts.items():
        db.session.remove()
        with Counted() as counted:
            assert post().status_code == 302
        seen[name] = counted.seen
    assert seen == PAGES[db.engine.dialect.name]
    db.session.expire_all()
    assert db.session.get(type(case), case.id).state == CaseState.completed


def _case_locks(call) -> int:
    """How many statements `call` runs that lock a case row: the case with its parties (SQLite
    writes no FOR UPDATE)."""
    with Counted() as counted:
        call()
    return sum(text.startswith("SELECT cases.") and "JOIN users AS users_1" in text for text in counted.statements)


def test_a_case_locked_by_its_page_is_not_locked_again_by_the_action_in_that_transaction_only(held_jobs):
    earlier, now = make_case(), make_case()
    designers = earlier.designer, now.designer
    commit()
    process.lock_case(earlier.reference)
    commit()  # its lock ended with that transaction: the action locks the case again
    assert _case_locks(lambda: process.accept_case(earlier, actor=designers[0])) == 1
    commit()
    locked = process.lock_case(now.reference)
    assert _case_locks(lambda: process.accept_case(locked, actor=designers[1])) == 0
    commit()
    assert (earlier.state, now.state) == (CaseState.in_progress, CaseState.in_progress)
