"""Small real meshes written in each format, for the mesh-check tests."""

from __future__ import annotations

import struct

import numpy as np

# A closed cube of side 10 mm: 8 vertices, 12 triangles, every edge shared by two triangles.
CUBE_VERTICES = np.array(
    [
        [0, 0, 0],
        [10, 0, 0],
        [10, 10, 0],
        [0, 10, 0],
        [0, 0, 10],
        [10, 0, 10],
        [10, 10, 10],
        [0, 10, 10],
    ],
    dtype=float,
)
CUBE_FACES = np.array(
    [
        [0, 2, 1],
        [0, 3, 2],
        [4, 5, 6],
        [4, 6, 7],
        [0, 1, 5],
        [0, 5, 4],
        [1, 2, 6],
        [1, 6, 5],
        [2, 3, 7],
        [2, 7, 6],
        [3, 0, 4],
        [3, 4, 7],
    ]
)
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
    header = [
        "ply",
        "format ascii 1.0",
        "comment made by the tests",
        f"element vertex {len(vertices)}",
        "property float x",
        "property float y",
        "property float z",
        f"element face {len(faces)}",
        "property list uchar int vertex_indices",
        "end_header",
    ]
    body = [" ".join(f"{c:g}" for c in v) for v in vertices]
    body += ["3 " + " ".join(str(i) for i in f) for f in faces]
    return ("\n".join(header + body) + "\n").encode()


def binary_ply(vertices: np.ndarray, faces: np.ndarray, *, quads: list[list[int]] = ()) -> bytes:
    header = [
        "ply",
        "format binary_little_endian 1.0",
        f"element vertex {len(vertices)}",
        "property float x",
        "property float y",
        "property float z",
        "property uchar red",
        f"element face {len(faces) + len(quads)}",
        "property list uchar int vertex_indices",
        "end_header",
    ]
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


def torus(rings: int, segments: int, *, major: float = 30.0, minor: float = 8.0) -> tuple[np.ndarray, np.ndarray]:
    """A closed, watertight torus (a ring-shaped arch, in mm): vertices and 2·rings·segments faces."""
    i, j = np.meshgrid(np.arange(rings), np.arange(segments), indexing="ij")
    phi, theta = 2 * np.pi * i / rings, 2 * np.pi * j / segments
    vertices = (
        np.stack(
            [
                (major + minor * np.cos(theta)) * np.cos(phi),
                (major + minor * np.cos(theta)) * np.sin(phi),
                minor * np.sin(theta),
            ],
            axis=-1,
        )
        .reshape(-1, 3)
        .astype(np.float32)
    )
    a = (i * segments + j).ravel()
    b = (((i + 1) % rings) * segments + j).ravel()
    c = (((i + 1) % rings) * segments + (j + 1) % segments).ravel()
    d = (i * segments + (j + 1) % segments).ravel()
    faces = np.stack([np.stack([a, b, c], 1), np.stack([a, c, d], 1)], axis=1).reshape(-1, 3)
    return vertices, faces


_RECORD = np.dtype([("normal", "<f4", (3,)), ("vertices", "<f4", (3, 3)), ("attribute", "<u2")])


def torus_stl_pieces(triangles: int, *, ascii: bool = False, block: int = 20_000):
    """A closed torus of about `triangles` triangles as STL bytes, made a block at a time
    (a file of gigabytes never sits in memory, here or in bench/mesh_check.py)."""
    segments = 500
    vertices, faces = torus(max(3, triangles // (2 * segments)), segments)
    yield b"solid torus\n" if ascii else b"occlusa torus".ljust(80) + struct.pack("<I", len(faces))
    for start in range(0, len(faces), block):
        corners = vertices[faces[start : start + block]]
        if ascii:
            lines = []
            for triangle in corners.tolist():
                lines.append("facet normal 0 0 0\n outer loop\n")
                lines.extend(f"  vertex {x!r} {y!r} {z!r}\n" for x, y, z in triangle)
                lines.append(" endloop\nendfacet\n")
            yield "".join(lines).encode()
        else:
            records = np.zeros(len(corners), _RECORD)
            records["vertices"] = corners
            yield records.tobytes()
    if ascii:
        yield b"endsolid torus\n"
