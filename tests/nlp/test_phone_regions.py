"""Every region the phone detector reads national numbers in: its example numbers, written
as people there write them, are found (the cheap pattern test before each parse must never
turn a valid number away)."""

from __future__ import annotations

import phonenumbers
import pytest
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from nlp import find_contacts
from nlp.phones import REGIONS

CASES = [
    (lang, region, number_type)
    for lang, regions in REGIONS.items()
    for region in regions
    for number_type in (PhoneNumberType.MOBILE, PhoneNumberType.FIXED_LINE)
]


@pytest.mark.parametrize("lang, region, number_type", CASES)
def test_a_national_number_of_every_region_is_found(lang, region, number_type):
    example = phonenumbers.example_number_for_type(region, number_type)
    national = phonenumbers.format_number(example, PhoneNumberFormat.NATIONAL)
    if sum(c.isdigit() for c in national) < 8:
        pytest.skip("too short to be told from a quantity without a cue")

    findings = find_contacts(f"my number is {national}", lang)

    assert [f.kind for f in findings] == ["phone"], national
