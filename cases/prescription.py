"""The dental prescription of a case: FDI tooth selection, restoration per unit, material, shade,
design parameters. `validate_prescription` turns what the order form sent into a clean dict
and the quantity it implies (teeth for a per-unit listing, arches for a per-arch one).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l

from errors import DomainError
from models.cases import CaseUnit

# FDI two-digit notation, permanent dentition: quadrant (1 upper right, 2 upper left,
# 3 lower left, 4 lower right) then position 1 (central incisor) to 8 (third molar).
QUADRANTS = (1, 2, 3, 4)
TEETH = tuple(f"{q}{p}" for q in QUADRANTS for p in range(1, 9))
ARCHES = {"upper": ("1", "2"), "lower": ("3", "4")}

RESTORATIONS = {
    "crown": _l("Crown"),
    "bridge_abutment": _l("Bridge abutment"),
    "pontic": _l("Pontic"),
    "inlay": _l("Inlay"),
    "onlay": _l("Onlay"),
    "veneer": _l("Veneer"),
    "implant_crown": _l("Implant crown"),
    "custom_abutment": _l("Custom abutment"),
    "coping": _l("Coping"),
    "wax_up": _l("Wax-up"),
}
MATERIALS = {
    "zirconia": _l("Zirconia"),
    "lithium_disilicate": _l("Lithium disilicate (e.max)"),
    "pmma": _l("PMMA (temporary)"),
    "composite": _l("Composite / hybrid ceramic"),
    "pfm": _l("Metal-ceramic (PFM)"),
    "cast_metal": _l("Cast metal / gold"),
    "titanium": _l("Titanium"),
    "other": _l("Other (say in the instructions)"),
}
CONTACTS = {"light": _l("Light"), "normal": _l("Normal"), "tight": _l("Tight")}
ARCH_LABELS = {"upper": _l("Upper arch (maxilla)"), "lower": _l("Lower arch (mandible)")}

# (field, low, high, unit): design parameters are optional; when given they must be plausible.
PARAMETERS = {
    "cement_gap_um": (0, 200),
    "min_thickness_mm": (Decimal("0.2"), Decimal("3.0")),
}


def arch_of(tooth: str) -> str:
    return "upper" if tooth[0] in ARCHES["upper"] else "lower"


def validate_prescription(raw: dict, unit: CaseUnit) -> tuple[dict, int]:
    """Check the prescription; return (clean prescription, quantity). Raises DomainError naming the field."""
    teeth_in = raw.get("teeth") or {}
    arches_in = raw.get("arches") or []
    teeth: dict[str, str] = {}
    for tooth, restoration in teeth_in.items():
        tooth = str(tooth).strip()
        if tooth not in TEETH:
            raise DomainError(
                _l("%(tooth)s is not a tooth number (FDI: 11–18, 21–28, 31–38, 41–48).", tooth=tooth), field="teeth"
            )
        restoration = restoration or "crown"
        if restoration not in RESTORATIONS:
            raise DomainError(_l("Choose a restoration type for tooth %(tooth)s.", tooth=tooth), field="teeth")
        teeth[tooth] = restoration
    arches = sorted({str(a) for a in arches_in})
    if any(a not in ARCHES for a in arches):
        raise DomainError(_l("Choose the upper arch, the lower arch, or both."), field="arches")
    if unit == CaseUnit.tooth:
        if not teeth:
            raise DomainError(_l("Select at least one tooth on the chart."), field="teeth")
        quantity = len(teeth)
    else:
        # A whole-arch listing: teeth picked on the chart imply their arch.
        arches = sorted(set(arches) | {arch_of(t) for t in teeth})
        if not arches:
            raise DomainError(_l("Select at least one arch on the chart."), field="arches")
        quantity = len(arches)
    material = (raw.get("material") or "").strip()
    if material and material not in MATERIALS:
        raise DomainError(_l("Choose a material from the list."), field="material")
    shade = (raw.get("shade") or "").strip()
    if len(shade) > 20:
        raise DomainError(_l("A shade is at most 20 characters (for example A2 or 2M2)."), field="shade")
    clean = {
        "teeth": dict(sorted(teeth.items())),
        "arches": arches,
        "material": material or None,
        "shade": shade or None,
        "parameters": _parameters(raw.get("parameters") or {}),
    }
    return clean, quantity


def _parameters(raw: dict) -> dict:
    clean: dict = {}
    for name, (low, high) in PARAMETERS.items():
        value = raw.get(name)
        if value in (None, ""):
            continue
        try:
            number = Decimal(str(value).replace(",", "."))
        except InvalidOperation:
            raise DomainError(_l("Enter a number."), field=name) from None
        if not low <= number <= high:
            raise DomainError(_l("Enter a value between %(low)s and %(high)s.", low=low, high=high), field=name)
        clean[name] = int(number) if name == "cement_gap_um" else str(number)
    contacts = raw.get("contacts") or ""
    if contacts:
        if contacts not in CONTACTS:
            raise DomainError(_l("Choose light, normal or tight contacts."), field="contacts")
        clean["contacts"] = contacts
    return clean
