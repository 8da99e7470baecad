"""Measuring a detector on a labelled corpus: precision, recall and F1 per kind.

A corpus is JSON Lines, one example a line:
`{"lang": "fr", "text": "...", "expect": [{"kind": "phone", "text": "06 12 ..."}], "trick": "..."}`;
`expect` is empty for a clean message, and each expected `text` is a substring of `text`.

Scoring follows the issue: for each example and kind, a true positive when a finding of that
kind overlaps an expected span of that kind, a false negative when an expected kind has no
such finding, a false positive when a finding of a kind overlaps no expected span of it.
"Message" scores say whether a message was stopped at all, whatever the kind.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from nlp.findings import KINDS, Finding

Detector = Callable[[str, str], list[Finding]]


@dataclass(frozen=True)
class Example:
    """One labelled message; `trick` names the disguise ("spelled-digits", "dental-talk")."""

    lang: str
    text: str
    expected: tuple[tuple[str, int, int], ...]  # kind, start, end
    trick: str
    source: str = ""  # the corpus file's name, without its extension

    @property
    def is_clean(self) -> bool:
        return not self.expected


@dataclass
class Tally:
    """True positives, false positives and false negatives, and the scores they give."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Scores:
    """Tallies per kind and per message; the examples got wrong; per disguise, how many
    examples of it were got entirely right."""

    by_kind: dict[str, Tally] = field(default_factory=lambda: {k: Tally() for k in KINDS})
    message: Tally = field(default_factory=Tally)
    misses: list[tuple[Example, list[Finding]]] = field(default_factory=list)
    trick_found: Counter = field(default_factory=Counter)
    trick_total: Counter = field(default_factory=Counter)

    @property
    def overall(self) -> Tally:
        """Micro-average over the kinds."""
        tallies = self.by_kind.values()
        return Tally(*(sum(getattr(t, a) for t in tallies) for a in ("tp", "fp", "fn")))


def load_corpus(paths: Iterable[Path]) -> list[Example]:
    """Examples from JSON Lines files, expected substrings turned into offsets."""
    examples = []
    for path in sorted(paths):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                examples.append(_example(json.loads(line), path.stem))
    return examples


def load_table(path: Path) -> list[Example]:
    """Examples from a tab-separated table: `lang, family, expected, text` a line, where
    `expected` is "-" or `kind=substring` items joined by " ;; " (the family is the trick)."""
    examples = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        lang, family, expected, text = line.split("\t", 3)
        items = [] if expected == "-" else [item.split("=", 1) for item in expected.split(" ;; ")]
        row = {
            "lang": lang,
            "text": text,
            "trick": family,
            "expect": [{"kind": kind, "text": sub} for kind, sub in items],
        }
        examples.append(_example(row, path.stem))
    return examples


def _example(row: dict, source: str = "") -> Example:
    text = row["text"]
    expected = []
    for item in row["expect"]:
        start = text.index(item["text"])
        expected.append((item["kind"], start, start + len(item["text"])))
    return Example(row["lang"], text, tuple(expected), row.get("trick", ""), source)


def score(examples: Iterable[Example], detector: Detector, kinds: Iterable[str] = KINDS) -> Scores:
    """Score a detector on examples, counting only the given kinds."""
    kinds = tuple(kinds)
    scores = Scores()
    for example in examples:
        findings = [f for f in detector(example.text, example.lang) if f.kind in kinds]
        wrong = False
        for kind in kinds:
            wrong |= _tally(scores.by_kind[kind], example, findings, kind)
        flagged = bool(findings)
        scores.message.tp += flagged and not example.is_clean
        scores.message.fp += flagged and example.is_clean
        scores.message.fn += not flagged and not example.is_clean
        if not example.is_clean:
            scores.trick_total[example.trick] += 1
            scores.trick_found[example.trick] += not wrong
        if wrong:
            scores.misses.append((example, findings))
    return scores


def _tally(tally: Tally, example: Example, findings: list[Finding], kind: str) -> bool:
    """Count one example for one kind; True when the detector got that kind wrong."""
    expected = [(s, e) for k, s, e in example.expected if k == kind]
    found = [f for f in findings if f.kind == kind]
    hit = any(_overlaps(f, s, e) for f in found for s, e in expected)
    stray = any(not any(_overlaps(f, s, e) for s, e in expected) for f in found)
    if expected:
        tally.tp += hit
        tally.fn += not hit
    tally.fp += stray
    return (bool(expected) and not hit) or stray


def _overlaps(finding: Finding, start: int, end: int) -> bool:
    return finding.start < end and start < finding.end
