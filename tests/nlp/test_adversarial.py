"""Hostile input (tests/nlp/hostile.py): text built to make regular expressions backtrack, and
very long messages. Each must be answered, and correctly; how long each takes is printed by
bench/nlp_contacts.py (a message that takes seconds would stall the request that checks it)."""

from __future__ import annotations

import pytest

from nlp import Finding, find_contacts
from tests.nlp.hostile import CASES


@pytest.mark.parametrize("text", CASES.values(), ids=CASES.keys())
def test_is_answered(text):
    findings = find_contacts(text, "en")
    assert all(isinstance(finding, Finding) for finding in findings)


def test_a_long_thread_still_shows_its_phone_number():
    kinds = {finding.kind for finding in find_contacts(CASES["a long thread"], "en")}
    assert "phone" in kinds
