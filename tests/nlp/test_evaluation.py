"""The scoring rules the benchmark and the corpus tests rely on."""

from __future__ import annotations

import json

from nlp import Finding
from nlp.evaluation import load_corpus, score

TEXT = "call 0612345678 or mail a@b.com"


def _examples(tmp_path, *expects):
    path = tmp_path / "corpus.jsonl"
    path.write_text(
        "".join(json.dumps({"lang": "en", "text": TEXT, "expect": expect}) + "\n" for expect in expects),
        encoding="utf-8",
    )
    return load_corpus([path])


def _finding(kind, needle):
    start = TEXT.index(needle)
    return Finding(kind, start, start + len(needle), needle, "")


def test_expected_substrings_become_offsets(tmp_path):
    [example] = _examples(tmp_path, [{"kind": "phone", "text": "0612345678"}])

    assert example.expected == (("phone", 5, 15),)


def test_an_overlapping_finding_of_the_kind_is_a_true_positive(tmp_path):
    examples = _examples(tmp_path, [{"kind": "phone", "text": "0612345678"}])

    scores = score(examples, lambda text, lang: [_finding("phone", "12345")])

    assert (scores.by_kind["phone"].tp, scores.by_kind["phone"].fp) == (1, 0)
    assert scores.message.tp == 1 and not scores.misses


def test_a_finding_of_another_kind_is_a_miss_and_a_false_alarm(tmp_path):
    examples = _examples(tmp_path, [{"kind": "phone", "text": "0612345678"}])

    scores = score(examples, lambda text, lang: [_finding("url", "0612345678")])

    assert scores.by_kind["phone"].fn == 1 and scores.by_kind["url"].fp == 1
    assert scores.message.tp == 1  # the message was still stopped
    assert len(scores.misses) == 1


def test_a_finding_in_a_clean_message_is_a_false_positive(tmp_path):
    examples = _examples(tmp_path, [])

    scores = score(examples, lambda text, lang: [_finding("email", "a@b.com")])

    assert scores.by_kind["email"].fp == 1 and scores.message.fp == 1
    assert scores.overall.precision == 0.0
