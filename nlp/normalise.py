"""One normalised copy of a message, with a map back to the original characters.

People disguise contact details with look-alike letters (Cyrillic "о", full-width "０",
keycap "6️⃣"), spaced-out letters ("j o h n"), letters for digits ("O6 l2") and spelled-out
numbers ("zero six douze"). Every detector reads the same normalised copy, built in layers:

1. fold: lower case, accents stripped, compatibility forms and look-alikes mapped to ASCII,
   invisible characters dropped;
2. collapse: runs of single characters separated by one separator joined ("j o h n" → "john");
3. look-alike digits: O, I, l, | and S inside digit groups read as 0, 1 and 5;
4. numerals: spelled-out numbers in long number runs replaced by digits (see `numerals`).

Each layer keeps, for every character it outputs, the span of original characters it
stands for, so a finding in the normalised text underlines the right original text.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from nlp.charclasses import CharClasses
from nlp.numerals import numeral_edits

Edit = tuple[int, int, str]  # replace text[start:end] by the string


@dataclass(frozen=True, slots=True)
class Normalised:
    """Normalised text; `starts[i]`/`ends[i]` bound the original characters behind `text[i]`."""

    text: str
    starts: Sequence[int]
    ends: Sequence[int]

    @classmethod
    def identity(cls, text: str) -> Normalised:
        return cls(text, range(len(text)), range(1, len(text) + 1))

    def original_span(self, start: int, end: int) -> tuple[int, int]:
        """Original offsets behind the normalised span `text[start:end]` (non-empty)."""
        return self.starts[start], self.ends[end - 1]

    def rewrite(self, edits: Sequence[Edit]) -> Normalised:
        """Apply sorted, non-overlapping edits; replaced characters map to what they replace."""
        if not edits:
            return self
        parts: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        pos = 0
        for start, end, replacement in edits:
            parts.append(self.text[pos:start])
            starts.extend(self.starts[pos:start])
            ends.extend(self.ends[pos:start])
            parts.append(replacement)
            starts.extend([self.starts[start]] * len(replacement))
            ends.extend([self.ends[end - 1]] * len(replacement))
            pos = end
        parts.append(self.text[pos:])
        starts.extend(self.starts[pos:])
        ends.extend(self.ends[pos:])
        return Normalised("".join(parts), starts, ends)


def normalise(text: str) -> Normalised:
    """Build the normalised copy every detector reads."""
    folded = fold(text)
    collapsed = folded.rewrite(_collapse_edits(folded.text))
    digits = _lookalike_digits(collapsed)
    return digits.rewrite(numeral_edits(digits.text))


# --- 1. fold -----------------------------------------------------------------------------

# Zero-width characters, soft hyphen, variation selectors and the keycap combiner ("6️⃣").
_INVISIBLE = frozenset("\u200b\u200c\u200d\u2060\ufeff\u00ad\ufe0e\ufe0f\u20e3")

# Latin look-alikes from other scripts, and punctuation that stands for ASCII punctuation.
_LOOKALIKES = {
    "а": "a",
    "в": "b",
    "е": "e",
    "ё": "e",
    "к": "k",
    "м": "m",
    "н": "h",
    "о": "o",
    "р": "p",
    "с": "c",
    "т": "t",
    "у": "y",
    "х": "x",
    "і": "i",
    "ї": "i",
    "ј": "j",
    "ѕ": "s",
    "ԁ": "d",
    "ɡ": "g",
    "ο": "o",
    "α": "a",
    "β": "b",
    "ε": "e",
    "ι": "i",
    "κ": "k",
    "ν": "v",
    "ρ": "p",
    "τ": "t",
    "υ": "u",
    "χ": "x",
    "μ": "u",
    "ß": "ss",
    "ø": "o",
    "æ": "ae",
    "œ": "oe",
    "ł": "l",
    "đ": "d",
    "ı": "i",
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u00b4": "'",
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2015": "-",
    "\u2212": "-",
    "\u00b7": ".",
    "\u2022": ".",
    "\u2027": ".",
    "\u2219": ".",
    "\u3002": ".",
    "\uff61": ".",
    "\u00a0": " ",
    "\u202f": " ",
    "\u3000": " ",
    "\u2028": "\n",
    "\u2029": "\n",
    "\U0001f51f": "10",
    "\u2985": "(",
    "\u2986": ")",
    "\uff5f": "(",
    "\uff60": ")",
    "\u3014": "(",
    "\u3015": ")",
    "\u3010": "[",
    "\u3011": "]",
    "\u3008": "<",
    "\u3009": ">",
    "\u300a": "<",
    "\u300b": ">",
    # An arrow or a pointing hand joins a name to what it points at: "insta 👉 lab.kim".
    "\u2192": "->",
    "\u27a1": ":",
    "\u279c": ":",
    "\u27a4": ":",
    "\u25b6": ":",
    "\u2b07": ":",
    "\u2935": ":",
    "\U0001f449": ":",
    "\U0001f447": ":",
    "\u261e": ":",
    # CJK numerals, which `unicodedata.digit` does not read.
    "\u3007": "0",
    "\u96f6": "0",
    "\u4e00": "1",
    "\u4e8c": "2",
    "\u4e09": "3",
    "\u56db": "4",
    "\u4e94": "5",
    "\u516d": "6",
    "\u4e03": "7",
    "\u516b": "8",
    "\u4e5d": "9",
}
# Other pictographs (emoji, dingbats) separate what stands around them: "612🔹34🔹56".
_SYMBOL_CATEGORIES = frozenset(("So", "Sk", "Cs", "Co"))

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def fold(text: str) -> Normalised:
    """Lower-case ASCII-like copy of `text`; only non-ASCII characters take the slow path."""
    if text.isascii():
        return Normalised.identity(text.lower())
    # Most non-ASCII characters fold to one character: accented letters and look-alikes to
    # an ASCII one, Arabic and Cyrillic letters to themselves. When all of a text's do, its
    # map is the identity and its runs of them are translated in place (what they fold to
    # is lower case already, and stays one character in lower case).
    folded = _NON_ASCII.sub(_fold_one_for_one, text)
    if _NOT_ONE_FOR_ONE not in folded:
        return Normalised.identity(folded.lower())
    parts: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    pos = 0
    for run in _NON_ASCII.finditer(text):
        first, last = run.span()
        parts.append(text[pos:first].lower())
        starts.extend(range(pos, first))
        ends.extend(range(pos + 1, first + 1))
        for i in range(first, last):
            out = _fold_char(text[i])
            if out:
                parts.append(out)
                starts.extend([i] * len(out))
                ends.extend([i + 1] * len(out))
            elif ends:
                ends[-1] = i + 1  # an invisible mark belongs to the character before it
        pos = last
    parts.append(text[pos:].lower())
    starts.extend(range(pos, len(text)))
    ends.extend(range(pos + 1, len(text) + 1))
    return Normalised("".join(parts), starts, ends)


@lru_cache(maxsize=8192)
def _fold_char(char: str) -> str:
    if char in _INVISIBLE:
        return ""
    if char in _LOOKALIKES:
        return _LOOKALIKES[char]
    digit = unicodedata.digit(char, None)  # full-width, Arabic-Indic, circled, bold digits
    if digit is not None:
        return str(digit)
    if unicodedata.category(char) in _SYMBOL_CATEGORIES:
        return " "
    decomposed = unicodedata.normalize("NFKD", char)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
    return "".join(_LOOKALIKES.get(c, c) for c in stripped)


# What `_OneForOne` writes for a character that folds to none or several (no character
# folds to it: a text holding it after the translation takes the slow path).
_NOT_ONE_FOR_ONE = "\ufffd"


class _OneForOne(dict):
    """`str.translate` table for non-ASCII characters: as `_fold_char` writes them when that
    is one character, else `_NOT_ONE_FOR_ONE` (the text takes the slow path)."""

    def __missing__(self, code: int) -> str:
        out = _fold_char(chr(code))
        self[code] = out if len(out) == 1 else _NOT_ONE_FOR_ONE
        return self[code]


_ONE_FOR_ONE = _OneForOne()


def _fold_one_for_one(run: re.Match) -> str:
    return run.group().translate(_ONE_FOR_ONE)


# --- 2. collapse spaced-out characters ---------------------------------------------------

# "j o h n @ g m a i l . c o m", "w h a t s a p p": four or more single characters, one
# space apart, standing alone.
_SPACED_OUT = re.compile(r"(?<!\S)[a-z0-9@+](?:[ \t][a-z0-9@.+_-]){3,}(?![^\s,;:!?)])")
# "w.h.a.t.s.a.p.p", "j-o-h-n": the same with one repeated punctuation separator.
_DOTTED_OUT = re.compile(r"(?<![\w.@-])[a-z0-9](?P<sep>[._*|~-])[a-z0-9](?:(?P=sep)[a-z0-9]){2,}(?![\w@])")


# What a spaced-out run may spell: an address ("j o h n @ ..."), a word ("w h a t s a p p"),
# or digits written partly with letters ("O 6 1 2 ..."). Plain digit runs keep their spaces
# ("teeth 2 3 4 5" is a list) and digits followed by short words stay apart ("9 1 2 é o").
_SPELLS_SOMETHING = re.compile(r"[^@]*[@.][^@]*|[a-z]+|(?=.*[oils|])[0-9oils|]+")


# What each run must contain, found by the regex engine's quick scan for the separator
# (the patterns themselves start with a lookbehind, tried at every position): two single
# characters in a row between spaces, one between two equal separators.
_MAY_BE_SPACED_OUT = re.compile(r"[ \t][a-z0-9@.+_-][ \t][a-z0-9@.+_-][ \t]")
_MAY_BE_DOTTED_OUT = re.compile(r"([._*|~-])[a-z0-9]\1")
_SPACED_CLASSES = CharClasses({" ": " \t", "x": "abcdefghijklmnopqrstuvwxyz0123456789@.+_-"}, other="#")


def _spaced_out_hint(text: str) -> int:
    """Where `_MAY_BE_SPACED_OUT` first matches, or -1, told from the classes of an ASCII text."""
    classified = _SPACED_CLASSES.classify(text)
    if classified is None:
        match = _MAY_BE_SPACED_OUT.search(text)
        return match.start() if match else -1
    return classified.find(b" x x ")


def _collapse_edits(text: str) -> list[Edit]:
    edits = []
    # (a run holds what it must contain from its second character on: none starts earlier
    # than one character before the first such place)
    hint = _spaced_out_hint(text)
    if hint >= 0:
        for m in _SPACED_OUT.finditer(text, max(0, hint - 1)):
            joined = m.group().replace(" ", "").replace("\t", "")
            if _SPELLS_SOMETHING.fullmatch(joined):
                edits.append((m.start(), m.end(), joined))
    hint = _MAY_BE_DOTTED_OUT.search(text)
    if hint:
        for m in _DOTTED_OUT.finditer(text, max(0, hint.start() - 1)):
            joined = m.group()[::2]
            if _SPELLS_SOMETHING.fullmatch(joined) and not _overlaps(m.span(), edits):
                edits.append((m.start(), m.end(), joined))
    return sorted(edits)


def _overlaps(span: tuple[int, int], edits: Sequence[Edit]) -> bool:
    return any(span[0] < end and start < span[1] for start, end, _ in edits)


# --- 3. letters written for digits --------------------------------------------------------

# A group of digits and O/I/l/|/S with at least one of each side by side: "O6", "l2", "5S".
# (Its first character comes before the lookbehind, so the regex engine skips to the next
# candidate character instead of trying the pattern at every position.)
_DIGIT_GROUP = re.compile(
    r"[0-9oils|](?<![a-z0-9].)(?:(?<=[0-9])[0-9]*[oils|]|(?<=[oils|])[oils|]*[0-9])[0-9oils|]*(?![a-z0-9])"
)
_AS_DIGITS = str.maketrans("oils|", "01151")
# What every such group holds: a digit with one of those letters right before or after it.
_DIGIT_BY_LETTER = re.compile(r"[0-9](?:(?<=[oils|][0-9])|[oils|])")
_DIGIT_AND_LETTER = CharClasses({"0": "0123456789", "o": "oils|"})


def _digit_by_letter(text: str) -> bool:
    """Whether `_DIGIT_BY_LETTER` matches, told from the classes of an ASCII text."""
    classified = _DIGIT_AND_LETTER.classify(text)
    if classified is None:
        return bool(_DIGIT_BY_LETTER.search(text))
    return b"0o" in classified or b"o0" in classified


def _lookalike_digits(norm: Normalised) -> Normalised:
    """Read O, I, l, | and S as digits inside digit groups ("4l5 5SS Ol32"); one character
    for one, maps unchanged."""
    text = norm.text
    if not _digit_by_letter(text):
        return norm
    changed = _DIGIT_GROUP.sub(lambda m: m.group().translate(_AS_DIGITS), text)
    return norm if changed == text else Normalised(changed, norm.starts, norm.ends)
