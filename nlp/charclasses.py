"""Which kinds of characters stand side by side in a text, read without a regex.

Several detectors first ask whether a text holds, say, a digit next to an "O" or two letters
before two digits, and skip their patterns when it does not. A regex answering that tries
each position in turn; for an ASCII text (most normalised texts are) one byte translation
writes each character as the name of its class, and substring tests on that copy answer
the same question at memchr speed. For any other text `classify` returns None and the
caller asks its regex.
"""

from __future__ import annotations


class CharClasses:
    """Classes of ASCII characters, each written as one byte; every other character as `other`."""

    def __init__(self, classes: dict[str, str], other: str = " ") -> None:
        table = bytearray(other.encode("ascii") * 256)
        for name, members in classes.items():
            for char in members:
                table[ord(char)] = ord(name)
        self._table = bytes(table)

    def classify(self, text: str) -> bytes | None:
        """`text` with each character written as its class, or None if `text` is not ASCII."""
        return text.encode("ascii").translate(self._table) if text.isascii() else None
