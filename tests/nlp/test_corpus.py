"""The labelled corpus (tests/nlp/corpus/*.jsonl): its shape, every example, and the
precision and recall targets of the issue measured on it (scoring: `nlp.evaluation`).

hand_<lang>.jsonl and families.jsonl (the recall families of issue #17) were written by hand, holdout_<lang>.jsonl too but only after the rules
were tuned on the former; generated.jsonl comes from generate_corpus.py.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from nlp import KINDS, find_contacts
from nlp.evaluation import load_corpus, score
from tests.nlp import generate_corpus

CORPUS = Path(__file__).parent / "corpus"
EXAMPLES = load_corpus(CORPUS.glob("*.jsonl"))
LANGUAGES = ("en", "fr", "es", "pt", "it", "de")

# What the filter gets wrong today: contact offered in words no rule reads without
# costing precision elsewhere. Strict: an example that starts passing must leave this list.
KNOWN_MISSES = {
    "I've got discord too, it's annacad#4821":
        "the handle stands in the next clause, after a bare mention of the app",
    "Skype call tomorrow? my id is live:anna.kowalski":
        "a call proposed with the app name alone, the id in the next sentence",
    "I post my designs on YouTube, channel Anna Designs CAD, subscribe!":
        "a channel promoted without a contact cue",
    "per vatsap geht schneller":
        "'per <app>' (via) with no contact cue, as in 'the dentist sent it per WhatsApp'",
    "hmu on insta if you want to see more: kim.dental.design":
        "a handle ending in a real top-level domain (.design) is also reported as a link",
}


def _params() -> list:
    params = []
    for i, example in enumerate(EXAMPLES):
        reason = KNOWN_MISSES.get(example.text)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        params.append(pytest.param(example, id=f"{example.lang}-{i}-{example.trick}", marks=marks))
    return params


def test_corpus_is_large_balanced_and_multilingual():
    per_language = Counter((e.lang, e.is_clean) for e in EXAMPLES)
    expected_kinds = Counter(kind for e in EXAMPLES for kind, _, _ in e.expected)

    assert len(EXAMPLES) >= 500
    assert 0.4 <= sum(not e.is_clean for e in EXAMPLES) / len(EXAMPLES) <= 0.6
    assert all(per_language[lang, clean] >= 40 for lang in LANGUAGES for clean in (True, False))
    assert all(expected_kinds[kind] >= 20 for kind in KINDS)


def test_generated_part_is_reproducible(tmp_path):
    generate_corpus.main(tmp_path / "generated.jsonl")

    assert (tmp_path / "generated.jsonl").read_bytes() == (CORPUS / "generated.jsonl").read_bytes()


@pytest.mark.parametrize("example", _params())
def test_example(example):
    scores = score([example], find_contacts)

    assert not scores.misses, [(f.kind, f.text) for f in scores.misses[0][1]]


def test_precision_and_recall_meet_the_targets():
    scores = score(EXAMPLES, find_contacts)

    assert scores.overall.precision >= 0.98
    assert scores.overall.recall >= 0.97
    for kind, tally in scores.by_kind.items():
        assert tally.precision >= 0.95 and tally.recall >= 0.95, kind
