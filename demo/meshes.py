"""A crown-shaped mesh for demo deliveries: a closed, dental-sized binary STL, made from numbers.

An ellipsoid of about 10 × 9 × 8 mm whose top is pressed down between four cusps, so the
viewer, the measuring tool and the mesh checks show something that looks like the real thing.
"""
from __future__ import annotations

import struct

import numpy as np


def crown_stl(rings: int = 24, segments: int = 40) -> bytes:
    """A watertight crown-like mesh as binary STL (about 1,900 triangles)."""
    theta = np.linspace(0, np.pi, rings + 1)            # from the occlusal top to the base
    phi = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    # four cusps on the occlusal third, a flat-ish fissure between them
    cusps = 1 + 0.18 * np.cos(2 * p) ** 2 * np.exp(-((t - 0.45) / 0.35) ** 2)
    x = 5.0 * np.sin(t) * np.cos(p) * cusps
    y = 4.5 * np.sin(t) * np.sin(p) * cusps
    z = 4.0 * np.cos(t) * (0.85 + 0.15 * np.cos(4 * p) * np.sin(t))
    vertices = np.stack([x, y, z], axis=-1)
    top, bottom = vertices[0, 0], vertices[-1, 0]
    rows = vertices[1:-1]                                 # the rings between the two poles
    triangles = []
    for s in range(segments):
        n = (s + 1) % segments
        triangles.append((top, rows[0, n], rows[0, s]))
        for r in range(rows.shape[0] - 1):
            a, b, c, d = rows[r, s], rows[r, n], rows[r + 1, s], rows[r + 1, n]
            triangles.append((a, b, d))
            triangles.append((a, d, c))
        triangles.append((bottom, rows[-1, s], rows[-1, n]))
    out = [b"Occlusa demo crown".ljust(80, b" "), struct.pack("<I", len(triangles))]
    for a, b, c in triangles:
        normal = np.cross(b - a, c - a)
        length = np.linalg.norm(normal) or 1.0
        out.append(struct.pack("<12fH", *(normal / length), *a, *b, *c, 0))
    return b"".join(out)
