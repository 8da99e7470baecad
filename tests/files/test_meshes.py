"""Mesh checks on real little meshes in every supported format, fed in awkward pieces."""
from __future__ import annotations

import numpy as np
import pytest

from files.meshes import inspect_mesh
from tests.files import mesh_samples as m

pytestmark = pytest.mark.no_app_context


def _inspect(name: str, data: bytes, piece: int = 37) -> dict:
    return inspect_mesh(name, (data[i:i + piece] for i in range(0, len(data), piece)))


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


@pytest.mark.parametrize("name,data,fmt,triangles,size", CLOSED,
                         ids=["stl-binary", "stl-binary-solid-header", "stl-ascii", "stl-tetra", "ply-ascii",
                              "ply-binary", "obj-tetra", "obj-cube"])
@pytest.mark.parametrize("piece", [1, 37, 1 << 20])
def test_a_closed_mesh_in_any_format(name, data, fmt, triangles, size, piece):
    found = _inspect(name, data, piece)

    assert found == {"format": fmt, "triangles": triangles, "size_mm": size, "open_edges": 0, "holes": 0,
                     "warnings": []}


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


@pytest.mark.parametrize("name,data,reason", [
    ("cut.stl", m.binary_stl(m.CUBE_VERTICES, m.CUBE_FACES)[:-30], "truncated"),
    ("cut.stl", m.ascii_stl(m.CUBE_VERTICES, m.CUBE_FACES)[:-60], "truncated"),
    ("cut.ply", m.binary_ply(m.CUBE_VERTICES, m.CUBE_FACES)[:-5], "truncated"),
    ("cut.ply", m.ascii_ply(m.CUBE_VERTICES, m.CUBE_FACES)[:-10], "truncated"),
    ("short.stl", b"solid", "too short"),
    ("x.ply", b"not a ply at all", "start with 'ply'"),
    ("x.ply", b"ply\nformat ascii 1.0\nelement vertex 1\n", "header"),
    ("bad.obj", b"v 0 0 0\nv 1 0 0\nf 1 2 3\n", "vertex that the file does not define"),
    ("bad.obj", b"v 0 zero 0\n", "not a number"),
], ids=["stl-binary", "stl-ascii", "ply-binary", "ply-ascii", "stl-tiny", "ply-magic", "ply-header", "obj-index",
        "obj-number"])
def test_a_broken_file_is_unreadable_with_a_reason(name, data, reason):
    found = _inspect(name, data)

    assert found["warnings"] == ["unreadable"]
    assert reason in found["error"]
    assert found["triangles"] is None


def test_a_file_without_triangles():
    assert _inspect("points.obj", b"v 0 0 0\nv 1 1 1\n")["warnings"] == ["no_triangles"]
    assert _inspect("empty.stl", m.binary_stl(m.CUBE_VERTICES, m.CUBE_FACES[:0]))["warnings"] == ["no_triangles"]
