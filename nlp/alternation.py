"""Regex alternations of many words that Python's regex engine reads quickly.

`re` tries an alternation's words one after the other at every position of the text, and
a pattern that opens with a lookbehind or a word boundary is tried at every position too.
`word_alternation` nests the words by shared prefixes ("s(?:ei(?:s|ze)?|...)"), so each
letter is read once, and lets the pattern open with the words' first letters, which the
engine then skips to; a boundary test goes right after that first letter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def word_alternation(words: Iterable[str], after_first: str = "") -> str:
    """A pattern matching exactly the `words`, with `after_first` (say a lookbehind one
    character wider than the boundary it stands for) right after each first character."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _branches(tree, after_first)


def _branches(node: dict, after_first: str | None) -> str:
    alternatives = [
        re.escape(char) + (after_first or "") + _branches(child, None) for char, child in sorted(node.items()) if char
    ]
    if not alternatives:
        return ""
    body = alternatives[0] if len(alternatives) == 1 else f"(?:{'|'.join(alternatives)})"
    return f"(?:{body})?" if "" in node else body


class Substrings:
    """Which of many strings occur in a text, read in one regex scan instead of one
    substring test each: at every letter or digit the longest of them starting there is
    found, and with it those of them that are its prefixes. (The few that start with a space
    or a sign are tested one by one: the scan then skips every other character at once.)"""

    def __init__(self, strings: Iterable[str]) -> None:
        strings = sorted(set(strings))
        words = [s for s in strings if s[0].isalnum()]
        self._others = tuple(s for s in strings if not s[0].isalnum())
        firsts = "".join(sorted({re.escape(s[0]) for s in words}))
        # (a first character, then, looking back at it, the longest string from there)
        self._scan = re.compile(f"[{firsts}](?<=(?=({word_alternation(words)})).)")
        self._prefixes = {s: frozenset(p for p in words if s.startswith(p)) for s in words}

    def __call__(self, text: str) -> set[str]:
        found = set(filter(text.__contains__, self._others))
        for longest in set(self._scan.findall(text)):
            found |= self._prefixes[longest]
        return found
