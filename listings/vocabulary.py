"""The bilingual dental vocabulary of search (data in vocabulary.txt) and typo tolerance.

A query becomes a list of Terms; each Term is satisfied by any of its alternatives, and an
alternative is a phrase of one or more words (the last one matched as a prefix). A query word
or phrase found in the vocabulary brings its whole group ("couronne" → crown, crowns …); a word
found nowhere in the vocabulary that is close to a vocabulary word (one or two letters off)
brings that word's group as well, so "zirconnia" finds zirconia and the word itself still
counts. Pure Python over fixed data: PostgreSQL and SQLite receive the same alternatives.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).with_name("vocabulary.txt")
TYPO_MIN_LENGTH = 5  # shorter words are too easily "close" to another one
TYPO_CUTOFF = 0.8  # difflib ratio: one or two letters off in a word of 5–12 letters
MAX_PHRASE = 4  # the longest vocabulary phrase, in words


@dataclass(frozen=True)
class Term:
    """One query word (or phrase): any alternative matches. `said` is what the user typed."""

    said: str
    alternatives: tuple[tuple[str, ...], ...]


def words_of(text: str) -> list[str]:
    """Lower-cased words as both databases' tokenisers cut them (letters and digits)."""
    return re.findall(r"[^\W_]+", text.lower())


def unaccented(word: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


@lru_cache(maxsize=1)
def _groups() -> tuple[dict[tuple[str, ...], int], list[tuple[tuple[str, ...], ...]], dict[str, int]]:
    """(phrase → group number, groups of phrases, single word → group number), read once."""
    phrase_group: dict[tuple[str, ...], int] = {}
    groups: list[tuple[tuple[str, ...], ...]] = []
    word_group: dict[str, int] = {}
    for line in DATA.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        phrases: list[tuple[str, ...]] = []
        for entry in line.split(","):
            for spelling in {entry.strip().lower(), unaccented(entry.strip().lower())}:
                phrase = tuple(words_of(spelling))
                if phrase and phrase not in phrases:
                    phrases.append(phrase)
        number = len(groups)
        groups.append(tuple(phrases))
        for phrase in phrases:
            phrase_group.setdefault(phrase, number)
            if len(phrase) == 1:
                word_group.setdefault(phrase[0], number)
    return phrase_group, groups, word_group


def expand(text: str, *, max_terms: int, name_words: Callable[[], Iterable[str]] | None = None) -> list[Term]:
    """The query's terms with their alternatives (at most `max_terms` terms). `name_words` gives the
    words of the names searchable now (designers'): asked for only when a word is no vocabulary
    word, so that a mistyped name ("Elana") also finds the one it is close to ("Elena")."""
    phrase_group, groups, word_group = _groups()
    names: list[str] | None = None
    words = words_of(text)
    terms: list[Term] = []
    i = 0
    while i < len(words) and len(terms) < max_terms:
        for size in range(min(MAX_PHRASE, len(words) - i), 0, -1):
            phrase = tuple(words[i : i + size])
            number = phrase_group.get(phrase)
            if number is None and size == 1:
                number = phrase_group.get((unaccented(phrase[0]),))
            if number is not None:
                terms.append(Term(" ".join(phrase), _with(phrase, groups[number])))
                i += size
                break
        else:
            word = words[i]
            near = _near(word, groups, word_group)
            if not near and name_words is not None and _may_be_mistyped(word, word_group):
                names = list(dict.fromkeys(name_words())) if names is None else names
                near = _near_name(word, names)
            terms.append(Term(word, _with((word,), near)))
            i += 1
    return terms


def _with(phrase: tuple[str, ...], alternatives) -> tuple[tuple[str, ...], ...]:
    """The typed phrase first, then the others, without repeats nor those another one already
    finds (the last word matches as a prefix: "crown" finds whatever "crowns" finds)."""
    kept: list[tuple[str, ...]] = []
    for candidate in dict.fromkeys((phrase, *alternatives)):
        if not any(_covers(other, candidate) for other in kept):
            kept = [other for other in kept if not _covers(candidate, other)] + [candidate]
    return tuple(kept)


def _covers(shorter: tuple[str, ...], longer: tuple[str, ...]) -> bool:
    return len(shorter) == len(longer) and shorter[:-1] == longer[:-1] and longer[-1].startswith(shorter[-1])


def _may_be_mistyped(word: str, known) -> bool:
    """Long enough to be "close" to a word by chance only rarely, and not the start of a known word
    (then it is being typed, not mistyped)."""
    return len(word) >= TYPO_MIN_LENGTH and not any(other.startswith(word) for other in known)


def _near_name(word: str, names: list[str]) -> tuple[tuple[str, ...], ...]:
    """The name words one or two letters away from `word`, unless it starts one of them."""
    if not _may_be_mistyped(word, names):
        return ()
    return tuple((match,) for match in difflib.get_close_matches(word, names, n=2, cutoff=TYPO_CUTOFF))


def _near(word: str, groups, word_group: dict[str, int]) -> tuple[tuple[str, ...], ...]:
    """The groups of the vocabulary words one or two letters away from `word` (a typo)."""
    if not _may_be_mistyped(word, word_group):
        return ()
    close = difflib.get_close_matches(word, list(word_group), n=2, cutoff=TYPO_CUTOFF)
    return tuple(phrase for match in close for phrase in groups[word_group[match]])
