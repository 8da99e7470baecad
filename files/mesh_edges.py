"""How many triangles use each edge of a mesh, counted exactly in bounded memory.

Each triangle gives three undirected edges, each named by its two corners in a fixed
order (an STL corner by its exact coordinates, a PLY/OBJ corner by its vertex number): an
edge used by one triangle lies on a hole's border, one used by more than two is
non-manifold. The edge names are counted in memory up to MEMORY_BYTES of them; past that
they are written to temporary files split into PARTITIONS parts by a hash of the name,
and each part is counted on its own. The same edge always lands in the same part, so the
counts stay exact while memory holds one part at a time, whatever the size of the mesh.
An edge name is the scan's geometry, so the parts are written encrypted (AES-CTR under a key
that lives only in this object's memory): nothing of a patient's scan reaches disk in clear.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

MEMORY_BYTES = 8 * 1024 * 1024
PARTITIONS = 64
# Hole borders are kept to count the holes one by one only up to this many open edges.
MAX_COUNTED_OPEN_EDGES = 250_000
_MIX = np.array(
    [
        0x9E3779B97F4A7C15,
        0xC2B2AE3D27D4EB4F,
        0x165667B19E3779F9,
        0xD6E8FEB86659FD93,
        0xFF51AFD7ED558CCD,
        0xC4CEB9FE1A85EC53,
    ],
    dtype=np.uint64,
)


class EdgeCensus:
    """Feed triangles as corner identities; `count()` then gives the edge statistics."""

    def __init__(self) -> None:
        self._blocks: list[np.ndarray] = []
        self._held = 0
        self._spill: tempfile.TemporaryDirectory | None = None
        self._key: np.dtype | None = None
        self._corner: np.dtype | None = None
        self._secret = os.urandom(32)  # forgotten with the census: the spilled parts become noise
        self._writers: dict[int, object] = {}

    def add(self, corners: np.ndarray) -> None:
        """Triangles as an (n, 3, k) array: corner c of triangle t is the k values corners[t, c]."""
        if not len(corners):
            return
        corners = np.ascontiguousarray(corners)
        width = corners.shape[2] * corners.itemsize
        self._key, self._corner = np.dtype((np.void, 2 * width)), np.dtype((np.void, width))
        for a, b in ((0, 1), (1, 2), (2, 0)):
            first, second = corners[:, a], corners[:, b]
            before, same = _compare(first, second)
            keep = ~same  # a degenerate triangle's collapsed edge is no edge
            low = np.where(before[:, None], first, second)[keep]
            high = np.where(before[:, None], second, first)[keep]
            keys = np.ascontiguousarray(np.concatenate([low, high], axis=1)).view(self._key).ravel()
            self._blocks.append(keys)
            self._held += keys.nbytes
        if self._held > MEMORY_BYTES:
            self._write_out()

    def discard(self) -> None:
        """Forget every edge (the mesh is too large to be checked)."""
        self._blocks.clear()
        self._held = 0
        if self._spill is not None:
            self._spill.cleanup()
            self._spill = None
        self._writers.clear()

    def count(self) -> tuple[int, int, np.ndarray | None]:
        """(edges used once, edges used more than twice, the once-used edges as corner-number
        pairs, or None past MAX_COUNTED_OPEN_EDGES)."""
        open_edges, shared, borders = 0, 0, []
        try:
            for keys in self._parts():
                if not len(keys):
                    continue
                unique, counts = np.unique(keys, return_counts=True)
                once = unique[counts == 1]
                open_edges += len(once)
                shared += int((counts > 2).sum())
                if borders is not None:
                    borders = borders + [once] if open_edges <= MAX_COUNTED_OPEN_EDGES else None
                del unique, counts
        finally:
            self.discard()
        if borders is None or not open_edges:
            return open_edges, shared, None if borders is None else np.empty((0, 2), np.int64)
        ends = np.concatenate(borders).view(self._corner)  # two corners per edge
        _, numbers = np.unique(ends, return_inverse=True)
        return open_edges, shared, numbers.reshape(-1, 2)

    def _parts(self):
        if self._spill is None:
            yield np.concatenate(self._blocks) if self._blocks else np.empty(0)
            return
        self._write_out()
        for part in range(PARTITIONS):
            path = Path(self._spill.name) / str(part)
            if not path.exists():
                yield np.empty(0)
                continue
            clear = self._cipher(part).decryptor().update(path.read_bytes())
            yield np.frombuffer(clear, dtype=self._key)

    def _write_out(self) -> None:
        if self._spill is None:
            self._spill = tempfile.TemporaryDirectory(prefix="occlusa-mesh-")
        for keys in self._blocks:
            part = _partition(keys)
            order = np.argsort(part, kind="stable")
            keys, part = keys[order], part[order]
            bounds = np.searchsorted(part, np.arange(PARTITIONS + 1))
            for index in range(PARTITIONS):
                if bounds[index] < bounds[index + 1]:
                    if index not in self._writers:
                        self._writers[index] = self._cipher(index).encryptor()
                    with open(Path(self._spill.name) / str(index), "ab") as handle:
                        handle.write(self._writers[index].update(keys[bounds[index] : bounds[index + 1]].tobytes()))
        self._blocks.clear()
        self._held = 0

    def _cipher(self, part: int) -> Cipher:
        # One key per census, one counter block per part: each part is its own CTR stream.
        return Cipher(algorithms.AES(self._secret), modes.CTR(part.to_bytes(16, "big")))


def _compare(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row: whether `first` sorts before `second` (column by column), and whether they are equal."""
    before = np.zeros(len(first), dtype=bool)
    same = np.ones(len(first), dtype=bool)
    for column in range(first.shape[1]):
        before |= same & (first[:, column] < second[:, column])
        same &= first[:, column] == second[:, column]
    return before, same


def _partition(keys: np.ndarray) -> np.ndarray:
    """A well-mixed hash of each key, reduced to a part number."""
    words = keys.view(np.uint32).reshape(len(keys), -1).astype(np.uint64)
    mixed = np.zeros(len(keys), dtype=np.uint64)
    for column in range(words.shape[1]):
        mixed ^= (words[:, column] + np.uint64(column)) * _MIX[column % len(_MIX)]
        mixed ^= mixed >> np.uint64(31)
    return (mixed % np.uint64(PARTITIONS)).astype(np.intp)


def count_loops(edges: np.ndarray) -> int:
    """How many separate holes: connected groups of open edges (union-find over their ends,
    numbered densely from 0)."""
    if not len(edges):
        return 0
    parent = list(range(int(edges.max()) + 1))

    def root(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for start in range(0, len(edges), 65536):
        for a, b in edges[start : start + 65536].tolist():
            ra, rb = root(a), root(b)
            if ra != rb:
                parent[ra] = rb
    return len({root(v) for v in range(len(parent))})
