"""Small real meshes written in each format, for the mesh-check tests."""
from __future__ import annotations

import struct

import numpy as np

# A closed cube of side 10 mm: 8 vertices, 12 triangles, every edge shared by two triangles.
CUBE_VERTICES = np.array([
    [0, 0, 0], [10, 0, 0], [10, 10, 0], [0, 10, 0],
    [0, 0, 10], [10, 0, 10], [10, 10, 10], [0, 10, 10],
], dtype=float)
CUBE_FACES = np.array([
    [0, 2, 1], [0, 3, 2], [4, 5, 6], [4, 6, 7], [0, 1, 5], [0, 5, 4],
    [1, 2, 6], [1, 6, 5], [2, 3, 7], [2, 7, 6], [3, 0, 4], [3, 4, 7],
])
# A closed tetrahedron of 8 mm.
TETRA_VERTICES = np.array([[0, 0, 0], [8, 0, 0], [0, 8, 0], [0, 0, 8]], dtype=float)
TETRA_FACES = np.array([[0, 2, 1], [0, 1, 3], [0, 3, 2], [1, 2, 3]])


def binary_stl(vertices: np.ndarray, faces: np.ndarray, header: bytes = b"occlusa test") -> bytes:
    out = [header.ljust(80, b" "), struct.pack("<I", len(faces))]
    for face in faces:
        corners = vertices[face]
        out.append(struct.pack("<12fH", 0, 0, 0, *corners.ravel().tolist(), 0))
    return b"".join(out)


def ascii_stl(vertices: np.ndarray, faces: np.ndarray) -> bytes:
    lines = ["solid test"]
    for face in faces:
        lines += ["  facet normal 0 0 0", "    outer loop"]
        lines += [f"      vertex {x:e} {y:e} {z:e}" for x, y, z in vertices[face]]
        lines += ["    endloop", "  endfacet"]
    lines.append("endsolid test")
    return ("\n".join(lines) + "\n").encode()


def ascii_ply(vertices: np.ndarray, faces: np.ndarray) -> bytes:
    header = ["ply", "format ascii 1.0", "comment made by the tests", f"element vertex {len(vertices)}",
              "property float x", "property float y", "property float z", f"element face {len(faces)}",
              "property list uchar int vertex_indices", "end_header"]
    body = [" ".join(f"{c:g}" for c in v) for v in vertices]
    body += ["3 " + " ".join(str(i) for i in f) for f in faces]
    return ("\n".join(header + body) + "\n").encode()


def binary_ply(vertices: np.ndarray, faces: np.ndarray, *, quads: list[list[int]] = ()) -> bytes:
    header = ["ply", "format binary_little_endian 1.0", f"element vertex {len(vertices)}",
              "property float x", "property float y", "property float z", "property uchar red",
              f"element face {len(faces) + len(quads)}", "property list uchar int vertex_indices",
              "end_header"]
    out = [("\n".join(header) + "\n").encode()]
    out += [struct.pack("<3fB", *v.tolist(), 200) for v in vertices]
    out += [struct.pack("<B3i", 3, *map(int, f)) for f in faces]
    out += [struct.pack(f"<B{len(q)}i", len(q), *q) for q in quads]
    return b"".join(out)


def obj(vertices: np.ndarray, faces: np.ndarray) -> bytes:
    lines = ["# test", "o part"] + [f"v {x:g} {y:g} {z:g}" for x, y, z in vertices]
    lines += ["vn 0 0 1"]
    lines += ["f " + " ".join(f"{i + 1}//1" for i in f) for f in faces]
    return ("\n".join(lines) + "\n").encode()
