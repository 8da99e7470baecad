"""Mesh checks on real little meshes in every supported format, fed in awkward pieces."""

from __future__ import annotations

import itertools
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from files import mesh_edges
from files.meshes import inspect_mesh
from tests.files import mesh_samples as m

pytestmark = pytest.mark.no_app_context


def _inspect(name: str, data: bytes, piece: int = 37) -> dict:
    return inspect_mesh(name, (data[i : i + piece] for i in range(0, len(data), piece)))


CLOSED = [
    ("cube.stl", m.binary_stl(m.CUBE_VERTICES, m.CUBE_FACES), "stl", 12, [10, 10, 10]),
    ("cube.stl", m.binary_stl(m.CUBE_VERTICES, m.CUBE_FACES, header=b"solid cube (binary)"), "stl", 12, [10, 10, 10]),
    ("cube.STL", m.ascii_stl(m.CUBE_VERTICES, m.CUBE_FACES), "stl", 12, [10, 10, 10]),
    ("tetra.stl", m.binary_stl(m.TETRA_VERTICES, m.TETRA_FACES), "stl", 4, [8, 8, 8]),
    ("cube.ply", m.ascii_ply(m.CUBE_VERTICES, m.CUBE_FACES), "ply", 12, [10, 10, 10]),
    ("cube.ply", m.binary_ply(m.CUBE_VERTICES, m.CUBE_FACES), "ply", 12, [10, 10, 10]),
    ("tetra.obj", m.obj(m.TETRA_VERTICES, m.TETRA_FACES), "obj", 4, [8, 8, 8]),
    ("cube.obj", m.obj(m.CUBE_VERTICES, m.CUBE_FACES), "obj", 12, [10, 10, 10]),
]


@pytest.mark.parametrize(
    "name,data,fmt,triangles,size",
    CLOSED,
    ids=[
        "stl-binary",
        "stl-binary-solid-header",
        "stl-ascii",
        "stl-tetra",
        "ply-ascii",
        "ply-binary",
        "obj-tetra",
        "obj-cube",
    ],
)
@pytest.mark.parametrize("piece", [1, 37, 1 << 20])
def test_a_closed_mesh_in_any_format(name, data, fmt, triangles, size, piece):
    found = _inspect(name, data, piece)

    assert found == {
        "format": fmt,
        "triangles": triangles,
        "size_mm": size,
        "open_edges": 0,
        "holes": 0,
        "warnings": [],
    }


def test_polygons_are_split_into_triangles():
    # the cube's y=10 side as one quad, in binary PLY and in OBJ
    faces = np.delete(m.CUBE_FACES, [8, 9], axis=0)
    quad = [2, 3, 7, 6]
    obj = m.obj(m.CUBE_VERTICES, faces) + b"f 3 4 8 7\n"

    assert _inspect("quad.ply", m.binary_ply(m.CUBE_VERTICES, faces, quads=[quad]))["open_edges"] == 0
    assert _inspect("quad.obj", obj)["triangles"] == 12
    assert _inspect("quad.obj", obj)["open_edges"] == 0


def test_negative_obj_indices_count_back_from_the_last_vertex():
    data = b"v 0 0 0\nv 8 0 0\nv 0 8 0\nv 0 0 8\nf -4 -2 -3\nf -4 -3 -1\nf -4 -1 -2\nf -3 -2 -1\n"

    assert _inspect("t.obj", data)["open_edges"] == 0


def test_an_open_mesh_has_holes():
    found = _inspect("open.stl", m.binary_stl(m.CUBE_VERTICES, m.CUBE_FACES[2:]))  # the bottom removed

    assert found["open_edges"] == 4 and found["holes"] == 1
    assert found["warnings"] == ["holes"]


def test_two_separate_holes_are_counted_apart():
    found = _inspect("tube.ply", m.ascii_ply(m.CUBE_VERTICES, m.CUBE_FACES[4:]))  # no bottom, no top

    assert found["open_edges"] == 8 and found["holes"] == 2


@pytest.mark.parametrize("scale,warning", [(0.04, "scale_inches"), (0.001, "scale_metres"), (60, "scale_too_large")])
def test_a_mesh_in_the_wrong_unit(scale, warning):
    found = _inspect("crown.stl", m.binary_stl(m.CUBE_VERTICES * scale, m.CUBE_FACES))

    assert found["warnings"] == [warning]


@pytest.mark.parametrize(
    "name,data,reason",
    [
        ("cut.stl", m.binary_stl(m.CUBE_VERTICES, m.CUBE_FACES)[:-30], "truncated"),
        ("cut.stl", m.ascii_stl(m.CUBE_VERTICES, m.CUBE_FACES)[:-60], "truncated"),
        ("cut.ply", m.binary_ply(m.CUBE_VERTICES, m.CUBE_FACES)[:-5], "truncated"),
        ("cut.ply", m.ascii_ply(m.CUBE_VERTICES, m.CUBE_FACES)[:-10], "truncated"),
        ("short.stl", b"solid", "too short"),
        ("x.ply", b"not a ply at all", "start with 'ply'"),
        ("x.ply", b"ply\nformat ascii 1.0\nelement vertex 1\n", "header"),
        ("bad.obj", b"v 0 0 0\nv 1 0 0\nf 1 2 3\n", "vertex that the file does not define"),
        ("bad.obj", b"v 0 zero 0\n", "not a number"),
    ],
    ids=[
        "stl-binary",
        "stl-ascii",
        "ply-binary",
        "ply-ascii",
        "stl-tiny",
        "ply-magic",
        "ply-header",
        "obj-index",
        "obj-number",
    ],
)
def test_a_broken_file_is_unreadable_with_a_reason(name, data, reason):
    found = _inspect(name, data)

    assert found["warnings"] == ["unreadable"]
    assert reason in found["error"]
    assert found["triangles"] is None


def test_a_file_without_triangles():
    assert _inspect("points.obj", b"v 0 0 0\nv 1 1 1\n")["warnings"] == ["no_triangles"]
    assert _inspect("empty.stl", m.binary_stl(m.CUBE_VERTICES, m.CUBE_FACES[:0]))["warnings"] == ["no_triangles"]


def _torus_with_defects(holes: int) -> tuple[np.ndarray, np.ndarray]:
    """A closed torus with `holes` single triangles taken out far apart, and one face doubled."""
    vertices, faces = m.torus(60, 60)
    gone = [2 * (i * 60 + j) for i in range(0, 60, 6) for j in range(0, 60, 6)][:holes]
    faces = np.delete(faces, gone, axis=0)
    return vertices, np.concatenate([faces, faces[1000:1001]])


@pytest.mark.parametrize("memory_bytes", [None, 4096], ids=["in-memory", "spilled-to-disk"])
@pytest.mark.parametrize("writer", [m.binary_stl, m.ascii_ply], ids=["stl", "ply"])
def test_holes_and_shared_edges_are_counted_exactly_in_memory_or_spilled(monkeypatch, memory_bytes, writer):
    if memory_bytes:
        monkeypatch.setattr(mesh_edges, "MEMORY_BYTES", memory_bytes)
    vertices, faces = _torus_with_defects(holes=12)

    found = _inspect("arch." + ("stl" if writer is m.binary_stl else "ply"), writer(vertices, faces), 4096)

    assert found["triangles"] == 60 * 60 * 2 - 12 + 1
    assert (found["open_edges"], found["holes"]) == (3 * 12, 12)
    assert found["warnings"] == ["holes", "non_manifold"]


def test_spilled_edges_reach_disk_encrypted(monkeypatch):
    """Edge names are the scan's coordinates: the parts written to disk must not carry them."""
    monkeypatch.setattr(mesh_edges, "MEMORY_BYTES", 4096)
    vertices, faces = m.torus(60, 60)
    census = mesh_edges.EdgeCensus()
    corners = vertices.astype(np.float32)[faces]
    census.add(corners)
    spilled = b"".join(path.read_bytes() for path in Path(census._spill.name).iterdir())
    assert len(spilled) > 10_000
    for corner in corners[:50].reshape(-1, 3):
        assert corner.tobytes() not in spilled
    assert census.count()[:2] == (0, 0)  # and the counts come back exact


def _peak_bytes(triangles: int) -> int:
    pieces = m.torus_stl_pieces(triangles)
    first = next(pieces)  # the torus is made before the measure starts: only the check counts
    tracemalloc.start()
    try:
        found = inspect_mesh("arch.stl", itertools.chain([first], pieces))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert (found["triangles"], found["open_edges"], found["holes"]) == (triangles, 0, 0)
    return peak


def test_the_mesh_check_memory_is_bounded_and_does_not_grow_with_the_file():
    # 20 MB and 40 MB binary STLs: the check once kept ~300 bytes per triangle (120 MB, 240 MB)
    small, large = _peak_bytes(400_000), _peak_bytes(800_000)

    assert small < 40 * 1024 * 1024
    assert large < small * 1.25
