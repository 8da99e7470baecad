"""The files area's blueprint `bp`, and what it lends every area's templates (file sizes, names,
mesh figures, whether to offer a download).

Its routes live in views.py (my files, transfers, private downloads), link_pages.py (the public
side of links), upload_api.py (resumable uploads) and viewer.py (the 3D viewer); each imports
`bp` from here, and views.py imports the other three so registering it registers them all.
"""

from __future__ import annotations

from flask import Blueprint
from flask_babel import format_decimal, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from extensions import labels_in_language
from files.meshes import WARNINGS, mesh_format
from files.operations import shown_file_name
from files.permissions import receiving_obstacle
from files.sizes import readable_size
from models.files import ShareLink, StoredFile
from storefront.files import inventory

bp = Blueprint("files", __name__)

# Every area's templates write file sizes with it (messages, cases, disputes, links).
bp.add_app_template_filter(readable_size, "file_size")
bp.add_app_template_filter(shown_file_name, "file_name")


@bp.app_template_global()
def mesh_warnings(stored: StoredFile) -> list[str]:
    """The readable warnings of a mesh check (none for other files or before the check ran)."""
    codes = (stored.mesh or {}).get("warnings")
    if not codes:
        return []
    words = labels_in_language(WARNINGS)  # translated once per language, not per warning
    return [words.get(code, code) for code in codes]


@bp.app_template_global()
def mesh_summary(stored: StoredFile) -> str | None:
    """What the mesh check measured, in the reader's language: "12,480 triangles · 11.2 × 10.4
    × 8.1 mm". None for other files and before the check ran."""
    mesh = stored.mesh or {}
    if mesh.get("triangles") is None:
        return None
    parts = [
        ngettext(
            "%(count)s triangle", "%(count)s triangles", mesh["triangles"], count=format_decimal(mesh["triangles"])
        )
    ]
    if mesh.get("size_mm"):
        parts.append(
            _("%(x)s × %(y)s × %(z)s mm", **dict(zip("xyz", (format_decimal(v, "#,##0.0") for v in mesh["size_mm"]))))
        )
    return " · ".join(parts)


@bp.app_template_global()
def is_mesh(stored: StoredFile) -> bool:
    return mesh_format(stored.original_name) is not None and not stored.is_deleted


@bp.app_template_global()
def is_mesh_name(filename: str) -> bool:
    """An STL, PLY or OBJ file by its name: other areas' templates offer "View in 3D" for it."""
    return mesh_format(filename) is not None


@bp.app_template_global()
def may_download(stored: StoredFile) -> bool:
    """Whether to offer the signed-in reader the download of a file they may read: not a
    patient scan a rule holds back (the designer of a request not accepted yet previews it)."""
    return (
        not stored.is_patient_data
        or stored.owner_id == current_user.id
        or receiving_obstacle(current_user, stored) is None
    )


@bp.app_template_global()
def file_state(stored: StoredFile):
    state = inventory.file_availability(stored)
    return inventory.LABELS[state], inventory.BADGES[state]


@bp.app_template_global()
def link_state(link: ShareLink):
    state = inventory.link_availability(link)
    return inventory.LABELS[state], inventory.BADGES[state]
