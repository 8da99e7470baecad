"""The fixed vocabulary of the catalogue: dental CAD services (categories and subcategories)
and the CAD software designers work with. Listings store the codes; labels are translated."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# category code → (label, {subcategory code → label})
CATEGORIES: dict[str, tuple] = {
    "crowns": (
        _l("Crowns"),
        {
            "anatomic_crown": _l("Full-contour anatomic crown"),
            "coping": _l("Coping / substructure"),
            "cutback": _l("Cut-back crown for layering"),
            "provisional": _l("Provisional crown"),
        },
    ),
    "bridges": (
        _l("Bridges"),
        {
            "anatomic_bridge": _l("Full-contour bridge"),
            "bridge_framework": _l("Bridge framework"),
            "maryland": _l("Maryland / adhesive bridge"),
        },
    ),
    "inlays_onlays": (
        _l("Inlays and onlays"),
        {
            "inlay": _l("Inlay"),
            "onlay": _l("Onlay / overlay"),
            "endocrown": _l("Endocrown"),
        },
    ),
    "veneers": (
        _l("Veneers"),
        {
            "veneer": _l("Veneer"),
            "no_prep_veneer": _l("No-prep veneer"),
        },
    ),
    "implants": (
        _l("Implant abutments and bars"),
        {
            "custom_abutment": _l("Custom abutment"),
            "screw_retained_crown": _l("Screw-retained crown"),
            "implant_bar": _l("Implant bar"),
        },
    ),
    "full_arch": (
        _l("Full-arch and All-on-X"),
        {
            "all_on_x_prosthesis": _l("All-on-X hybrid prosthesis"),
            "full_arch_framework": _l("Full-arch framework"),
        },
    ),
    "dentures": (
        _l("Dentures"),
        {
            "complete_denture": _l("Complete denture"),
            "partial_framework": _l("Partial denture framework"),
        },
    ),
    "night_guards": (
        _l("Night guards and splints"),
        {
            "night_guard": _l("Night guard"),
            "occlusal_splint": _l("Occlusal splint"),
        },
    ),
    "surgical_guides": (
        _l("Surgical guides"),
        {
            "implant_guide": _l("Implant surgical guide"),
            "bone_reduction_guide": _l("Bone reduction guide"),
        },
    ),
    "smile_design": (
        _l("Wax-ups and smile design"),
        {
            "digital_wax_up": _l("Digital wax-up"),
            "smile_design": _l("Smile design"),
            "mock_up": _l("Mock-up"),
        },
    ),
    "orthodontics": (
        _l("Orthodontic aligner planning"),
        {
            "aligner_planning": _l("Aligner treatment planning"),
            "retainer": _l("Retainer"),
            "indirect_bonding": _l("Indirect bonding tray"),
        },
    ),
    "models": (
        _l("Models"),
        {
            "study_model": _l("Study / working model"),
            "implant_model": _l("Implant model with analogues"),
            "die": _l("Model with removable dies"),
        },
    ),
}

# software code → name (product names are not translated)
SOFTWARE: dict[str, str] = {
    "exocad": "exocad DentalCAD",
    "3shape": "3Shape Dental System",
    "dental_wings": "Dental Wings DWOS",
    "inlab": "Dentsply Sirona inLab",
    "blender_for_dental": "Blender for Dental",
    "3shape_ortho": "3Shape Ortho System",
    "exoplan": "exoplan",
    "codiagnostix": "coDiagnostiX",
    "archform": "ArchForm",
    "meshmixer": "Autodesk Meshmixer",
}


def category_label(code: str) -> str:
    entry = CATEGORIES.get(code)
    return str(entry[0]) if entry else code


def subcategory_label(category: str, code: str) -> str:
    entry = CATEGORIES.get(category)
    return str(entry[1].get(code, code)) if entry else code


def category_words(category: str, subcategory: str) -> str:
    """The category's and subcategory's labels in every language, for search: a French client
    finds an English listing of "Inlays and onlays" by typing "inlays et onlays"."""
    from flask import current_app
    from flask_babel import force_locale

    entry = CATEGORIES.get(category)
    if entry is None:
        return ""
    labels = []
    for language in current_app.config["LANGUAGES"]:
        with force_locale(language):
            labels += [str(entry[0]), str(entry[1].get(subcategory, ""))]
    return " ".join(dict.fromkeys(label for label in labels if label))


def software_names(codes: list[str]) -> list[str]:
    return [SOFTWARE[c] for c in codes if c in SOFTWARE]


def is_subcategory(category: str, subcategory: str) -> bool:
    return category in CATEGORIES and subcategory in CATEGORIES[category][1]


def category_choices() -> list[tuple[str, str]]:
    return [(code, str(label)) for code, (label, _subs) in CATEGORIES.items()]


def software_choices() -> list[tuple[str, str]]:
    return list(SOFTWARE.items())
