"""Meshes for the demo, made from numbers: closed, dental-sized binary STL files.

A crown for deliveries (an ellipsoid of about 10 × 9 × 8 mm whose top is pressed down between
four cusps) and upper and lower arch scans for the cases' attachments (a ridge of teeth swept
along a U), so the viewer, its toggles, the measuring tool and the mesh checks show something
that looks like the real thing.
"""

from __future__ import annotations

import struct

import numpy as np


def crown_stl(rings: int = 24, segments: int = 40) -> bytes:
    """A watertight crown-like mesh as binary STL (about 1,900 triangles)."""
    theta = np.linspace(0, np.pi, rings + 1)  # from the occlusal top to the base
    phi = np.linspace(0, 2 * np.pi, segments, endpoint=False)
    t, p = np.meshgrid(theta, phi, indexing="ij")
    # four cusps on the occlusal third, a flat-ish fissure between them
    cusps = 1 + 0.18 * np.cos(2 * p) ** 2 * np.exp(-(((t - 0.45) / 0.35) ** 2))
    x = 5.0 * np.sin(t) * np.cos(p) * cusps
    y = 4.5 * np.sin(t) * np.sin(p) * cusps
    z = 4.0 * np.cos(t) * (0.85 + 0.15 * np.cos(4 * p) * np.sin(t))
    vertices = np.stack([x, y, z], axis=-1)
    top, bottom = vertices[0, 0], vertices[-1, 0]
    rows = vertices[1:-1]  # the rings between the two poles
    triangles = []
    for s in range(segments):
        n = (s + 1) % segments
        # counter-clockwise seen from outside: normals point out, as the viewer's lighting expects
        triangles.append((top, rows[0, s], rows[0, n]))
        for r in range(rows.shape[0] - 1):
            a, b, c, d = rows[r, s], rows[r, n], rows[r + 1, s], rows[r + 1, n]
            triangles.append((a, d, b))
            triangles.append((a, c, d))
        triangles.append((bottom, rows[-1, n], rows[-1, s]))
    return _binary_stl(b"Occlusa demo crown", triangles)


def arch_stl(upper: bool, steps: int = 160, around: int = 24) -> bytes:
    """A watertight arch scan as binary STL (about 7,700 triangles): a ridge about 9 mm wide
    with fourteen tooth bumps, along a U about 46 mm across; the upper one sits above the
    lower, its teeth pointing down."""
    s = np.linspace(-1.25, 1.25, steps)
    centre = np.stack([24 * np.sin(s), 20 * (1 - np.cos(s)), np.zeros_like(s)], axis=-1)
    tangent = np.stack([24 * np.cos(s), 20 * np.sin(s), np.zeros_like(s)], axis=-1)
    tangent /= np.linalg.norm(tangent, axis=1, keepdims=True)
    across = np.stack([-tangent[:, 1], tangent[:, 0], np.zeros_like(s)], axis=-1)  # buccal-lingual
    height = 4 + 2.5 * np.abs(np.sin(7 * np.pi * (s + 1.25) / 2.5))  # fourteen bumps: a tooth each
    a = np.linspace(0, 2 * np.pi, around, endpoint=False)
    rings = (
        centre[:, None, :]
        + across[:, None, :] * (4.5 * np.cos(a))[None, :, None]
        + np.array([0, 0, 1.0])[None, None, :] * (height[:, None] * np.maximum(np.sin(a), -0.3))[:, :, None]
    )
    if upper:  # mirrored above the lower arch: teeth face down
        rings[..., 2] = 16 - rings[..., 2]
    triangles = []
    for r in range(steps - 1):
        for k in range(around):
            n = (k + 1) % around
            q, w, e, t = rings[r, k], rings[r, n], rings[r + 1, k], rings[r + 1, n]
            triangles += [(q, w, t), (q, t, e)]
    for ring, flip in ((rings[0], False), (rings[-1], True)):  # close both ends
        middle = ring.mean(axis=0)
        for k in range(around):
            q, w = ring[k], ring[(k + 1) % around]
            triangles.append((middle, q, w) if flip else (middle, w, q))
    if upper:  # a mirror turns every triangle inside out
        triangles = [(q, t, w) for q, w, t in triangles]
    return _binary_stl(b"Occlusa demo " + (b"upper" if upper else b"lower") + b" arch scan", triangles)


def _binary_stl(header: bytes, triangles) -> bytes:
    out = [header.ljust(80, b" "), struct.pack("<I", len(triangles))]
    for a, b, c in triangles:
        normal = np.cross(b - a, c - a)
        length = np.linalg.norm(normal) or 1.0
        out.append(struct.pack("<12fH", *(normal / length), *a, *b, *c, 0))
    return b"".join(out)
