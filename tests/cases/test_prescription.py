"""The prescription: FDI teeth, restoration per unit, arches, material, shade, parameters."""

from __future__ import annotations

import pytest

from cases.prescription import validate_prescription
from errors import DomainError
from models.cases import CaseUnit


def test_teeth_give_the_quantity_of_a_per_unit_listing():
    clean, quantity = validate_prescription(
        {
            "teeth": {"21": "veneer", "11": "crown"},
            "material": "zirconia",
            "shade": "A2",
            "parameters": {"cement_gap_um": "50", "min_thickness_mm": "0,6", "contacts": "light"},
        },
        CaseUnit.tooth,
    )
    assert quantity == 2
    assert clean["teeth"] == {"11": "crown", "21": "veneer"}
    assert clean["parameters"] == {"cement_gap_um": 50, "min_thickness_mm": "0.6", "contacts": "light"}


def test_arches_give_the_quantity_of_a_per_arch_listing_and_teeth_imply_their_arch():
    _clean, quantity = validate_prescription({"arches": ["upper"], "teeth": {"36": "crown"}}, CaseUnit.arch)
    assert quantity == 2


@pytest.mark.parametrize(
    "raw,field",
    [
        ({"teeth": {}}, "teeth"),
        ({"teeth": {"19": "crown"}}, "teeth"),
        ({"teeth": {"11": "implant_bar"}}, "teeth"),
        ({"teeth": {"11": "crown"}, "material": "unobtainium"}, "material"),
        ({"teeth": {"11": "crown"}, "shade": "x" * 21}, "shade"),
        ({"teeth": {"11": "crown"}, "parameters": {"cement_gap_um": "500"}}, "cement_gap_um"),
        ({"teeth": {"11": "crown"}, "parameters": {"min_thickness_mm": "thin"}}, "min_thickness_mm"),
        ({"teeth": {"11": "crown"}, "parameters": {"contacts": "glued"}}, "contacts"),
        ({"teeth": {"11": "crown"}, "arches": ["middle"]}, "arches"),
    ],
)
def test_bad_prescriptions_name_the_field(raw, field):
    with pytest.raises(DomainError) as refused:
        validate_prescription(raw, CaseUnit.tooth)
    assert refused.value.field == field
