"""Which kinds of characters stand side by side in a text, read without a regex.

Several detectors first ask whether a text holds, say, a digit next to an "O" or two letters
before two digits, and skip their patterns when it does not. A regex answering that tries
each position in turn; for an ASCII text (most normalised texts are) one byte translation
writes each character as the name of its class, and substring tests on that copy answer
the same question at memchr speed. Any other text is read by the regex.
"""

from __future__ import annotations

import re


class CharClasses:
    """Classes of ASCII characters, each written as one byte; every other character as `other`."""

    def __init__(self, classes: dict[str, str], other: str = " ") -> None:
        table = bytearray(other.encode("ascii") * 256)
        for name, members in classes.items():
            for char in members:
                table[ord(char)] = ord(name)
        self._table = bytes(table)

    def find(self, text: str, sequences: tuple[bytes, ...], pattern: re.Pattern) -> int:
        """Where the first of these sequences of classes starts in `text`, or -1: what
        `pattern.search(text)` tells (it must match exactly those sequences), told faster."""
        if not text.isascii():
            match = pattern.search(text)
            return match.start() if match else -1
        classes = text.encode("ascii").translate(self._table)
        return min((i for i in map(classes.find, sequences) if i >= 0), default=-1)
