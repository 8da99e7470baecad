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

import numpy as np
from flask_babel import lazy_gettext as _l

from files.mesh_formats import MeshData, MeshFormatError, reader_for

MESH_SUFFIXES = {".stl": "stl", ".ply": "ply", ".obj": "obj"}

# Beyond this many triangles the edge analysis is skipped: it needs ~150 bytes per triangle.
MAX_CHECKED_TRIANGLES = 5_000_000
# Beyond this many open edges the holes are not counted one by one.
MAX_COUNTED_OPEN_EDGES = 1_000_000

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
            return {"format": self.format, "triangles": None, "size_mm": None, "open_edges": None,
                    "holes": None, "warnings": ["unreadable"], "error": self.error}
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
    summary = {"format": fmt, "triangles": mesh.triangles, "size_mm": None, "open_edges": None,
               "holes": None, "warnings": []}
    warnings = summary["warnings"]
    if mesh.triangles == 0:
        warnings.append("no_triangles")
        return summary
    size = [round(float(v), 3) for v in mesh.high - mesh.low]
    summary["size_mm"] = size
    warnings.extend(scale_warnings(max(size)))
    if not mesh.complete:
        warnings.append("not_fully_checked")
        return summary
    faces, vertex_count = indexed_faces(mesh)
    open_edges, shared_edges, boundary = edge_census(faces, vertex_count)
    summary["open_edges"] = open_edges
    if open_edges:
        warnings.append("holes")
        if open_edges <= MAX_COUNTED_OPEN_EDGES:
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


def indexed_faces(mesh: MeshData) -> tuple[np.ndarray, int]:
    """Faces as vertex-index triples; an STL soup is welded on exactly equal coordinates."""
    if not mesh.soup_blocks:
        return np.concatenate(mesh.face_blocks), mesh.vertex_count
    corners = np.concatenate(mesh.soup_blocks).reshape(-1, 3) + np.float32(0)  # -0.0 becomes 0.0
    keys = np.ascontiguousarray(corners).view(np.dtype((np.void, corners.itemsize * 3))).ravel()
    unique, inverse = np.unique(keys, return_inverse=True)
    return inverse.reshape(-1, 3).astype(np.int64), len(unique)


def edge_census(faces: np.ndarray, vertex_count: int) -> tuple[int, int, np.ndarray]:
    """(edges used by one triangle, edges used by more than two, the one-triangle edges)."""
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    edges.sort(axis=1)
    edges = edges[edges[:, 0] != edges[:, 1]]  # a degenerate triangle's collapsed edge
    keys = edges[:, 0] * max(vertex_count, 1) + edges[:, 1]
    unique, counts = np.unique(keys, return_counts=True)
    boundary = unique[counts == 1]
    pairs = np.column_stack(np.divmod(boundary, max(vertex_count, 1)))
    return len(boundary), int((counts > 2).sum()), pairs


def count_loops(edges: np.ndarray) -> int:
    """How many separate holes: connected groups of open edges (union-find over their ends)."""
    parent: dict[int, int] = {}

    def root(v: int) -> int:
        parent.setdefault(v, v)
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for a, b in edges.tolist():
        ra, rb = root(a), root(b)
        if ra != rb:
            parent[ra] = rb
    return len({root(v) for v in parent})
