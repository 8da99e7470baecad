"""Incremental readers for STL (binary and ASCII), PLY (ASCII, binary LE/BE) and OBJ.

Each reader is fed the file's bytes in pieces of any size, as they are stored, and adds
what it finds to a MeshData: triangles as vertex-index triples (PLY, OBJ) or as a triangle
soup of coordinates (STL, which repeats shared vertices). Nothing is kept per triangle but
its edges in the census (files/mesh_edges.py), which holds them in bounded memory. Text formats are parsed a block
of whole lines at a time with regular expressions and numpy, not byte by byte.
A malformed or truncated file raises MeshFormatError with a sentence a person can read.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod

import numpy as np

from files.mesh_edges import EdgeCensus


class MeshFormatError(ValueError):
    """The file is not a readable mesh of the format its name claims."""


class MeshData:
    """What the readers found: counts, bounds, and every triangle's edges for the edge census."""

    def __init__(self, keep_triangles: int) -> None:
        # Edges are counted up to `keep_triangles`; past that only the count and the bounds
        # go on (the census spills to disk, and its temporary files stay bounded too).
        self.keep_triangles = keep_triangles
        self.edges = EdgeCensus()
        self.vertex_count = 0
        self.triangles = 0
        self.low = np.full(3, np.inf)
        self.high = np.full(3, -np.inf)
        self._lowest_index, self._highest_index = 0, -1

    @property
    def complete(self) -> bool:
        """Whether every triangle's edges were counted."""
        return self.triangles <= self.keep_triangles

    def add_vertices(self, xyz: np.ndarray) -> None:
        if len(xyz):
            self._extend_bounds(xyz)
            self.vertex_count += len(xyz)

    def add_faces(self, faces: np.ndarray) -> None:
        if len(faces):
            faces = np.asarray(faces, dtype=np.int64)
            self.triangles += len(faces)
            self._lowest_index = min(self._lowest_index, int(faces.min()))
            self._highest_index = max(self._highest_index, int(faces.max()))
            self._keep(faces[:, :, None])

    def add_soup(self, triangles: np.ndarray) -> None:
        if len(triangles):
            self._extend_bounds(triangles.reshape(-1, 3))
            self.triangles += len(triangles)
            # A corner is its exact coordinates (-0.0 made 0.0), compared as bits.
            corners = np.ascontiguousarray(triangles, dtype=np.float32) + np.float32(0)
            self._keep(corners.view(np.uint32))

    def _keep(self, corners: np.ndarray) -> None:
        if self.complete:
            self.edges.add(corners)
        else:
            self.edges.discard()

    def _extend_bounds(self, xyz: np.ndarray) -> None:
        if not np.isfinite(xyz).all():
            raise MeshFormatError("Some coordinates are not finite numbers.")
        np.minimum(self.low, xyz.min(axis=0), out=self.low)
        np.maximum(self.high, xyz.max(axis=0), out=self.high)

    def check_indices(self) -> None:
        """Every face must name vertices that exist (checked once all vertices are read)."""
        if self.triangles and (self._lowest_index < 0 or self._highest_index >= self.vertex_count):
            raise MeshFormatError("A face refers to a vertex that the file does not define.")


def _fan(polygon: list[int]) -> list[tuple[int, int, int]]:
    """Split a polygon into triangles around its first corner (how OBJ and PLY quads are meant)."""
    return [(polygon[0], polygon[k], polygon[k + 1]) for k in range(1, len(polygon) - 1)]


class _LineReader(ABC):
    """Base for text formats: hands whole lines to `parse_block`, keeps the partial last line."""

    def __init__(self, mesh: MeshData):
        self.mesh = mesh
        self._rest = b""

    def feed(self, data: bytes) -> None:
        block = self._rest + bytes(data)
        cut = block.rfind(b"\n") + 1
        self._rest = block[cut:]
        if cut:
            self.parse_block(block[:cut])

    def close(self) -> None:
        if self._rest.strip():
            _parse_last_line(self.parse_block, self._rest)
        self._rest = b""
        self.finish()

    @abstractmethod
    def parse_block(self, block: bytes) -> None:
        """Read a block of whole lines (each text format knows its own)."""

    def finish(self) -> None:  # noqa: B027 - an optional hook: only some formats check at the end
        """Checks once every byte has been read."""


def _parse_last_line(parse, line: bytes) -> None:
    """A last line without its newline is either complete or where the file was cut off."""
    try:
        parse(line + b"\n")
    except MeshFormatError:
        raise MeshFormatError("The file is truncated: its last line is incomplete.") from None


def _floats(rows: list) -> np.ndarray:
    try:
        return np.array(rows, dtype=np.bytes_).astype(np.float64)
    except ValueError:
        raise MeshFormatError("A coordinate is not a number.") from None


class BinarySTL:
    """80-byte header, triangle count, then 50-byte records (normal, 3 vertices, attribute)."""

    RECORD = np.dtype([("normal", "<f4", (3,)), ("vertices", "<f4", (3, 3)), ("attribute", "<u2")])

    def __init__(self, mesh: MeshData):
        self.mesh = mesh
        self._buffer = bytearray()
        self.expected: int | None = None
        self.seen = 0

    def feed(self, data: bytes) -> None:
        self._buffer += data
        if self.expected is None:
            if len(self._buffer) < 84:
                return
            self.expected = int.from_bytes(self._buffer[80:84], "little")
            del self._buffer[:84]
        count = min(len(self._buffer) // self.RECORD.itemsize, self.expected - self.seen)
        if count > 0:
            records = np.frombuffer(self._buffer, self.RECORD, count=count)
            self.mesh.add_soup(records["vertices"].copy())
            del records  # release the view before the buffer shrinks
            self.seen += count
            del self._buffer[: count * self.RECORD.itemsize]
        if self.seen == self.expected:
            self._buffer.clear()  # bytes after the announced triangles are padding

    def close(self) -> None:
        if self.expected is None:
            raise MeshFormatError("The file is too short to be an STL file.")
        if self.seen < self.expected:
            raise MeshFormatError(
                f"The file is truncated: its header announces {self.expected} triangles, it holds {self.seen}."
            )


class AsciiSTL(_LineReader):
    """`solid … facet normal … outer loop / vertex x y z ×3 / endloop endfacet … endsolid`."""

    VERTEX = re.compile(rb"vertex\s+(\S+)\s+(\S+)\s+(\S+)")

    def __init__(self, mesh: MeshData):
        super().__init__(mesh)
        self._loose = np.empty((0, 3))
        self._tail = b""

    def parse_block(self, block: bytes) -> None:
        self._tail = (self._tail + block)[-512:]
        found = self.VERTEX.findall(block)
        if not found:
            return
        vertices = np.concatenate([self._loose, _floats(found)])
        whole = len(vertices) // 3 * 3
        self.mesh.add_soup(vertices[:whole].reshape(-1, 3, 3).astype(np.float32))
        self._loose = vertices[whole:]

    def finish(self) -> None:
        if len(self._loose) or b"endsolid" not in self._tail:
            raise MeshFormatError("The file is truncated: the ASCII STL does not end with 'endsolid'.")


class OBJ(_LineReader):
    """`v x y z` vertices and `f a b c …` faces (a may be `a/t/n`; negative = counted back)."""

    LINE = re.compile(rb"^[ \t]*(v|f)[ \t]+([^\r\n]*)", re.M)

    def parse_block(self, block: bytes) -> None:
        vertices: list[list[bytes]] = []
        faces: list[tuple[int, int, int]] = []
        count = self.mesh.vertex_count
        for match in self.LINE.finditer(block):
            fields = match[2].split()
            if match[1] == b"v":
                if len(fields) < 3:
                    raise MeshFormatError("A vertex line has fewer than three coordinates.")
                vertices.append(fields[:3])
                continue
            try:
                corners = [int(field.split(b"/", 1)[0]) for field in fields]
            except ValueError:
                raise MeshFormatError("A face line has an index that is not a number.") from None
            if len(corners) < 3 or 0 in corners:
                raise MeshFormatError("A face line needs at least three vertex numbers, counted from 1.")
            known = count + len(vertices)
            faces.extend(_fan([c - 1 if c > 0 else known + c for c in corners]))
        if vertices:
            self.mesh.add_vertices(_floats(vertices))
        if faces:
            self.mesh.add_faces(np.array(faces, dtype=np.int64))

    def finish(self) -> None:
        self.mesh.check_indices()


_PLY_TYPES = {
    "char": "i1",
    "int8": "i1",
    "uchar": "u1",
    "uint8": "u1",
    "short": "i2",
    "int16": "i2",
    "ushort": "u2",
    "uint16": "u2",
    "int": "i4",
    "int32": "i4",
    "uint": "u4",
    "uint32": "u4",
    "float": "f4",
    "float32": "f4",
    "double": "f8",
    "float64": "f8",
}


class _Element:
    def __init__(self, name: str, count: int):
        self.name = name
        self.count = count
        self.properties: list[tuple[str, str, str | None]] = []  # (name, type, list count type)

    @property
    def is_fixed(self) -> bool:
        return all(count_type is None for _, _, count_type in self.properties)

    def record(self, order: str) -> np.dtype:
        return np.dtype([(name, order + kind) for name, kind, _ in self.properties])


class PLY:
    """`ply` header (format, elements, properties) then the elements' records in order."""

    def __init__(self, mesh: MeshData):
        self.mesh = mesh
        self._buffer = bytearray()
        self.elements: list[_Element] | None = None
        self.order = ""
        self.ascii = False
        self._index = 0
        self._left = 0
        self._fast_faces = True

    def feed(self, data: bytes) -> None:
        self._buffer += data
        if self.elements is None and not self._read_header():
            return
        if self.ascii:
            cut = self._buffer.rfind(b"\n") + 1
            lines = bytes(self._buffer[:cut])
            del self._buffer[:cut]
            self._ascii_records(lines.splitlines())
        else:
            self._binary_records()

    def close(self) -> None:
        if self.elements is None:
            raise MeshFormatError("The PLY header is incomplete (no 'end_header').")
        if self.ascii and self._buffer.strip():
            _parse_last_line(lambda line: self._ascii_records(line.splitlines()), bytes(self._buffer))
        self._skip_empty_elements()
        if self._index < len(self.elements):
            raise MeshFormatError(
                f"The file is truncated: PLY element '{self.elements[self._index].name}' "
                f"is missing {self._left} of its {self.elements[self._index].count} records."
            )
        self.mesh.check_indices()

    def _read_header(self) -> bool:
        if len(self._buffer) >= 4 and not self._buffer.startswith(b"ply"):
            raise MeshFormatError("The file does not start with 'ply'.")
        match = re.search(rb"end_header[ \t]*\r?\n", self._buffer)
        if match is None:
            if len(self._buffer) > 64 * 1024:
                raise MeshFormatError("The PLY header is too long or never ends.")
            return False
        header = self._buffer[: match.start()].decode("ascii", "replace").splitlines()
        del self._buffer[: match.end()]
        self.elements = []
        for line in header[1:]:
            words = line.split()
            if not words or words[0] in {"comment", "obj_info"}:
                continue
            if words[0] == "format":
                formats = {"ascii": "", "binary_little_endian": "<", "binary_big_endian": ">"}
                if len(words) < 2 or words[1] not in formats:
                    raise MeshFormatError("The PLY format line is not understood.")
                self.ascii, self.order = words[1] == "ascii", formats[words[1]]
            elif words[0] == "element" and len(words) == 3 and words[2].isdigit():
                self.elements.append(_Element(words[1], int(words[2])))
            elif words[0] == "property" and self.elements:
                self.elements[-1].properties.append(self._property(words))
            else:
                raise MeshFormatError(f"The PLY header line '{line.strip()[:60]}' is not understood.")
        self._index, self._left = 0, self.elements[0].count if self.elements else 0
        return True

    @staticmethod
    def _property(words: list[str]) -> tuple[str, str, str | None]:
        try:
            if words[1] == "list":
                return words[4], _PLY_TYPES[words[3]], _PLY_TYPES[words[2]]
            return words[2], _PLY_TYPES[words[1]], None
        except (IndexError, KeyError):
            raise MeshFormatError(f"The PLY property '{' '.join(words)[:60]}' is not understood.") from None

    def _skip_empty_elements(self) -> None:
        while self._index < len(self.elements) and self._left == 0:
            self._index += 1
            if self._index < len(self.elements):
                self._left = self.elements[self._index].count

    def _binary_records(self) -> None:
        while True:
            self._skip_empty_elements()
            if self._index >= len(self.elements):
                self._buffer.clear()
                return
            element = self.elements[self._index]
            if element.is_fixed:
                progressed = self._fixed_records(element)
            elif self._fast_faces and len(element.properties) == 1:
                progressed = self._triangle_records(element)
            else:
                progressed = self._generic_record(element)
            if not progressed:
                return  # the next record is not all here yet

    def _fixed_records(self, element: _Element) -> bool:
        record = element.record(self.order)
        count = min(self._left, len(self._buffer) // record.itemsize) if record.itemsize else self._left
        if count:
            rows = np.frombuffer(self._buffer, record, count=count)
            if element.name == "vertex":
                self.mesh.add_vertices(_xyz(rows))
            del rows  # release the view before the buffer shrinks
            del self._buffer[: count * record.itemsize]
            self._left -= count
        return count > 0

    def _triangle_records(self, element: _Element) -> bool:
        """The common face layout (every face a triangle), read with numpy in bulk."""
        _, kind, count_type = element.properties[0]
        record = np.dtype([("n", self.order + count_type), ("corners", self.order + kind, (3,))])
        count = min(self._left, len(self._buffer) // record.itemsize)
        if not count:
            return False
        rows = np.frombuffer(self._buffer, record, count=count)
        not_triangles = np.flatnonzero(rows["n"] != 3)
        if len(not_triangles):
            count = int(not_triangles[0])
            self._fast_faces = False  # polygons: read the rest record by record
            rows = rows[:count]
        if element.name == "face":
            self.mesh.add_faces(rows["corners"].astype(np.int64))
        del rows  # release the view before the buffer shrinks
        del self._buffer[: count * record.itemsize]
        self._left -= count
        return True  # records read, or a switch to the record-by-record path

    def _generic_record(self, element: _Element) -> bool:
        """One record of any layout (polygons, lists beside scalars), read field by field."""
        offset, polygon, scalars = 0, None, {}
        for name, kind, count_type in element.properties:
            head = np.dtype(self.order + (count_type or kind))
            if len(self._buffer) < offset + head.itemsize:
                return False
            value = np.frombuffer(self._buffer, head, count=1, offset=offset)[0]
            offset += head.itemsize
            if count_type is None:
                scalars[name] = float(value)
                continue
            item = np.dtype(self.order + kind)
            if len(self._buffer) < offset + int(value) * item.itemsize:
                return False
            values = np.frombuffer(self._buffer, item, count=int(value), offset=offset).tolist()
            offset += int(value) * item.itemsize
            polygon = values if polygon is None else polygon
        if element.name == "vertex":
            self.mesh.add_vertices(np.array([[scalars.get(axis, np.nan) for axis in "xyz"]]))
        elif element.name == "face" and polygon:
            self.mesh.add_faces(np.array(_fan(polygon), dtype=np.int64).reshape(-1, 3))
        del self._buffer[:offset]
        self._left -= 1
        return True

    def _ascii_records(self, lines: list[bytes]) -> None:
        vertices: list[list[bytes]] = []
        faces: list[tuple[int, int, int]] = []
        for line in lines:
            fields = line.split()
            if not fields:
                continue
            self._skip_empty_elements()
            if self._index >= len(self.elements):
                break
            element = self.elements[self._index]
            try:
                values, polygon = _ascii_values(element, fields)
                if element.name == "vertex":
                    vertices.append([values[name] for name in ("x", "y", "z")])
                elif element.name == "face" and polygon:
                    faces.extend(_fan([int(v) for v in polygon]))
            except (IndexError, KeyError, ValueError):
                raise MeshFormatError(f"A PLY '{element.name}' line does not match the header.") from None
            self._left -= 1
        if vertices:
            self.mesh.add_vertices(_floats(vertices))
        if faces:
            self.mesh.add_faces(np.array(faces, dtype=np.int64))


def _ascii_values(element: _Element, fields: list[bytes]) -> tuple[dict[str, bytes], list[bytes] | None]:
    values: dict[str, bytes] = {}
    polygon: list[bytes] | None = None
    position = 0
    for name, _, count_type in element.properties:
        if count_type is None:
            values[name] = fields[position]
            position += 1
        else:
            n = int(fields[position])
            items = fields[position + 1 : position + 1 + n]
            if len(items) != n:
                raise IndexError(name)
            polygon = items if polygon is None else polygon
            position += 1 + n
    return values, polygon


def _xyz(rows: np.ndarray) -> np.ndarray:
    try:
        return np.column_stack([rows["x"], rows["y"], rows["z"]]).astype(np.float64)
    except (KeyError, ValueError):
        raise MeshFormatError("The PLY vertices have no x, y, z coordinates.") from None


def looks_like_ascii_stl(head: bytes) -> bool:
    """An STL is ASCII when it starts with 'solid' and its first bytes are text with facets.

    Binary STL headers may also start with 'solid' (some exporters write it), so the word
    alone does not decide; the next bytes being printable text that goes on with 'facet'
    or 'endsolid' does.
    """
    stripped = head.lstrip()
    if not stripped.startswith(b"solid"):
        return False
    if any(byte < 9 or 13 < byte < 32 or byte > 126 for byte in head):
        return False
    return b"facet" in head or b"endsolid" in head


def reader_for(kind: str, mesh: MeshData, head: bytes = b""):
    """The reader for a format named by file extension ('stl' needs the first bytes)."""
    if kind == "stl":
        return (AsciiSTL if looks_like_ascii_stl(head) else BinarySTL)(mesh)
    return {"ply": PLY, "obj": OBJ}[kind](mesh)
