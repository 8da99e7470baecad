"""3D checks on uploaded STL/PLY/OBJ files: readable, how many triangles, how big, watertight.

A designer or a lab wants to know before sending a case whether the scan or the design
opens at all, whether it has holes (boundary edges: used by one triangle only), and whether
it was exported in the wrong unit — dental parts are millimetres, from a few (a crown) to
about eighty (a full arch). The inspector is fed the bytes as they are stored, so no
second pass over storage is needed for one-shot uploads.

Result kept on StoredFile.mesh:
    {"format", "triangles", "size_mm": [x, y, z], "open_edges", "holes", "warnings": [codes], "error"}
"""

from __future__ import annotations

from pathlib import PurePath

from flask_babel import lazy_gettext as _l

from files.mesh_edges import count_loops
from files.mesh_formats import MeshData, MeshFormatError, reader_for

MESH_SUFFIXES = {".stl": "stl", ".ply": "ply", ".obj": "obj"}

# Beyond this many triangles the edge analysis is skipped: its memory is bounded whatever
# the size (files/mesh_edges.py), but its temporary files take ~72 bytes per triangle.
MAX_CHECKED_TRIANGLES = 5_000_000
# Pieces handed to the readers at most this big, so a caller's huge piece costs no more.
FEED_BYTES = 1024 * 1024

# Largest extent of the mesh, read as millimetres. A dental part in inches reads 0.2–3
# (a 10 mm crown is 0.39 in, a 70 mm arch 2.8 in); in metres it reads under 0.2.
METRES_BELOW_MM = 0.2
INCHES_BELOW_MM = 3.0
TOO_LARGE_ABOVE_MM = 500.0

WARNINGS = {
    "unreadable": _l("The file could not be read as a 3D mesh."),
    "no_triangles": _l("The file contains no triangles."),
    "holes": _l("The mesh is open: it has holes (edges that belong to one triangle only)."),
    "non_manifold": _l("Some edges are shared by more than two triangles."),
    "scale_inches": _l("The mesh is tiny: it looks like it was exported in inches, not millimetres."),
    "scale_metres": _l("The mesh is tiny: it looks like it was exported in metres, not millimetres."),
    "scale_too_large": _l("The mesh is larger than any dental part (over 500 mm): check the export unit."),
    "not_fully_checked": _l("The mesh is too large to check for holes."),
}


def mesh_format(filename: str) -> str | None:
    """'stl', 'ply' or 'obj' from the file's extension; None for anything else."""
    return MESH_SUFFIXES.get(PurePath(filename).suffix.lower())


class MeshInspector:
    """Feed a mesh file's bytes in order; `result()` then describes it (never raises)."""

    _SNIFF_BYTES = 512

    def __init__(self, filename: str):
        self.format = mesh_format(filename)
        if self.format is None:
            raise ValueError(f"{filename!r} is not an STL, PLY or OBJ file")
        self.mesh = MeshData(keep_triangles=MAX_CHECKED_TRIANGLES)
        self._reader = None
        self._head = b""
        self.error: str | None = None

    def feed(self, data: bytes) -> None:
        if len(data) > FEED_BYTES:
            view = memoryview(data)
            for start in range(0, len(view), FEED_BYTES):
                self.feed(view[start : start + FEED_BYTES])
            return
        if self.error is not None or not data:
            return
        try:
            if self._reader is None:
                self._head += bytes(data)
                if len(self._head) < self._SNIFF_BYTES:
                    return
                self._start()
            else:
                self._reader.feed(data)
        except MeshFormatError as exc:
            self.error = str(exc)

    def result(self) -> dict:
        if self.error is None:
            try:
                if self._reader is None:
                    self._start()
                self._reader.close()
            except MeshFormatError as exc:
                self.error = str(exc)
        if self.error is not None:
            self.mesh.edges.discard()
            return {
                "format": self.format,
                "triangles": None,
                "size_mm": None,
                "open_edges": None,
                "holes": None,
                "warnings": ["unreadable"],
                "error": self.error,
            }
        return describe(self.mesh, self.format)

    def _start(self) -> None:
        self._reader = reader_for(self.format, self.mesh, self._head)
        head, self._head = self._head, b""
        self._reader.feed(head)


def inspect_mesh(filename: str, pieces) -> dict:
    """Describe a whole mesh given as an iterable of byte pieces."""
    inspector = MeshInspector(filename)
    for piece in pieces:
        inspector.feed(piece)
    return inspector.result()


def describe(mesh: MeshData, fmt: str) -> dict:
    """Triangle count, bounding box size, open edges and holes, and the warnings they raise."""
    summary = {
        "format": fmt,
        "triangles": mesh.triangles,
        "size_mm": None,
        "open_edges": None,
        "holes": None,
        "warnings": [],
    }
    warnings = summary["warnings"]
    if mesh.triangles == 0:
        warnings.append("no_triangles")
        return summary
    size = [round(float(v), 3) for v in mesh.high - mesh.low]
    summary["size_mm"] = size
    warnings.extend(scale_warnings(max(size)))
    if not mesh.complete:
        warnings.append("not_fully_checked")
        mesh.edges.discard()
        return summary
    open_edges, shared_edges, boundary = mesh.edges.count()
    summary["open_edges"] = open_edges
    if open_edges:
        warnings.append("holes")
        if boundary is not None:
            summary["holes"] = count_loops(boundary)
    else:
        summary["holes"] = 0
    if shared_edges:
        warnings.append("non_manifold")
    return summary


def scale_warnings(extent_mm: float) -> list[str]:
    if extent_mm < METRES_BELOW_MM:
        return ["scale_metres"]
    if extent_mm < INCHES_BELOW_MM:
        return ["scale_inches"]
    if extent_mm > TOO_LARGE_ABOVE_MM:
        return ["scale_too_large"]
    return []
