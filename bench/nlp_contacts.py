"""Benchmark of the off-platform contact filter (`nlp`) against a naive regex baseline.

Run from the repository root: `.venv/bin/python bench/nlp_contacts.py [--misses] [--passes N]`.

Prints, for the labelled corpus in tests/nlp/corpus/ (see `nlp.evaluation` for the scoring
rules), precision, recall and F1 per kind and overall, and whole-message detection; then
messages per second and latency percentiles on one core, on the corpus messages padded with
case talk to about 300 characters. The baseline (one e-mail, one phone, one URL regex) runs
in the same process on the same messages.

The process is pinned to one core and latencies are the CPU time of the calling thread, so
other work on a shared machine does not inflate them; the wall-clock rate is printed too.
"""
from __future__ import annotations

import argparse
import os
import re
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
# Python puts this script's folder first on the path, where bench/catalogue.py would shadow
# the `catalogue` package spaCy depends on; the repository root goes there instead.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
sys.path.insert(0, str(ROOT))

from nlp import KINDS, Finding, find_contacts  # noqa: E402
from nlp.evaluation import Example, Scores, load_corpus, score  # noqa: E402

CORPUS = ROOT / "tests" / "nlp" / "corpus"
MESSAGE_LENGTH = 300

_BASELINE = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")),
    ("phone", re.compile(r"\+?\d[\d\s().-]{7,}\d")),
    ("url", re.compile(r"https?://\S+|www\.\S+"
                       r"|\b[\w-]+\.(?:com|net|org|io|fr|es|pt|it|de|br|eu)\b")),
)


def baseline(text: str, lang: str | None = None) -> list[Finding]:
    """What a first attempt looks like: an e-mail, a phone and a URL regex."""
    return [Finding(kind, m.start(), m.end(), m.group(), kind)
            for kind, pattern in _BASELINE for m in pattern.finditer(text)]


def ours(text: str, lang: str | None = None) -> list[Finding]:
    return find_contacts(text, lang)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--misses", action="store_true", help="list the examples we get wrong")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the messages")
    args = parser.parse_args()

    core = _pin_to_one_core()
    examples = load_corpus(CORPUS.glob("*.jsonl"))
    started = time.perf_counter()
    for lang in sorted({e.lang for e in examples}):
        find_contacts("warm-up", lang)
    load_seconds = time.perf_counter() - started

    positives = sum(not e.is_clean for e in examples)
    print(f"Corpus: {len(examples)} examples ({positives} with contact details, "
          f"{len(examples) - positives} clean), languages "
          f"{', '.join(sorted({e.lang for e in examples}))}")
    results = {"nlp": score(examples, ours), "baseline": score(examples, baseline)}
    _print_accuracy(results)
    _print_sources(examples)
    _print_tricks(results["nlp"])

    messages = _padded_messages(examples)
    mean_length = sum(len(m) for m, _ in messages) / len(messages)
    print(f"\nSpeed: {len(messages)} messages of {mean_length:.0f} characters on average, "
          f"{args.passes} passes, one core ({core}); matchers built in {load_seconds:.1f} s")
    print(f"{'':10} {'msgs/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'wall msgs/s':>12}")
    for name, detector in (("nlp", ours), ("baseline", baseline)):
        rate, p50, p99, worst, wall_rate = _timings(detector, messages, args.passes)
        print(f"{name:10} {rate:9,.0f} {p50:8.3f} {p99:8.3f} {worst:8.3f} {wall_rate:12,.0f}")
    if hasattr(os, "getloadavg"):
        print(f"(load average during the run: {os.getloadavg()[0]:.1f})")

    if args.misses:
        _print_misses(results["nlp"])


def _pin_to_one_core() -> str:
    if not hasattr(os, "sched_setaffinity"):
        return "not pinned"
    core = min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    return f"cpu {core}"


def _print_accuracy(results: dict[str, Scores]) -> None:
    print(f"\n{'':22}" + "".join(f"{name:>24}" for name in results))
    print(f"{'kind':22}" + f"{'P':>8}{'R':>8}{'F1':>8}" * len(results))
    rows = [(kind, [r.by_kind[kind] for r in results.values()]) for kind in KINDS]
    rows.append(("overall (per kind)", [r.overall for r in results.values()]))
    rows.append(("message stopped", [r.message for r in results.values()]))
    for label, tallies in rows:
        print(f"{label:22}" + "".join(f"{t.precision:8.3f}{t.recall:8.3f}{t.f1:8.3f}"
                                      for t in tallies))


def _print_sources(examples: list[Example]) -> None:
    print("\nBy corpus part (nlp, overall per kind):")
    for part in ("hand", "holdout", "generated"):
        subset = [e for e in examples if e.source.startswith(part)]
        tally = score(subset, ours).overall
        print(f"  {part:10} {len(subset):4} examples   P {tally.precision:.3f}   "
              f"R {tally.recall:.3f}   F1 {tally.f1:.3f}")


def _print_tricks(scores: Scores) -> None:
    print("\nRecall per disguise (examples with every expected kind found):")
    tricks = sorted(scores.trick_total)
    for i in range(0, len(tricks), 3):
        print("  " + "   ".join(f"{t:<20} {scores.trick_found[t]:>3}/{scores.trick_total[t]:<3}"
                                for t in tricks[i:i + 3]))


def _padded_messages(examples: list[Example]) -> list[tuple[str, str]]:
    """Each example followed by clean case talk of its language, to about 300 characters."""
    filler = {lang: [e.text for e in examples if e.lang == lang and e.is_clean]
              for lang in {e.lang for e in examples}}
    messages = []
    for i, example in enumerate(examples):
        text, pool, j = example.text, filler[example.lang], i
        while len(text) < MESSAGE_LENGTH - 40:
            text += " " + pool[j % len(pool)]
            j += 7
        messages.append((text[:MESSAGE_LENGTH + 60], example.lang))
    return messages


def _timings(detector, messages: list[tuple[str, str]], passes: int):
    """Messages per second and latency percentiles, in CPU time of this thread."""
    latencies = []
    wall_started = time.perf_counter()
    for _ in range(passes):
        for text, lang in messages:
            started = time.thread_time_ns()
            detector(text, lang)
            latencies.append(time.thread_time_ns() - started)
    wall_rate = len(latencies) / (time.perf_counter() - wall_started)
    latencies.sort()
    total = sum(latencies) / 1e9

    def percentile(q: float) -> float:
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] / 1e6

    worst = latencies[-1] / 1e6
    return len(latencies) / total, percentile(0.50), percentile(0.99), worst, wall_rate


def _print_misses(scores: Scores) -> None:
    print(f"\nMisses ({len(scores.misses)}):")
    for example, findings in scores.misses:
        expected = [(kind, example.text[s:e]) for kind, s, e in example.expected]
        found = [(f.kind, f.text) for f in findings]
        print(f"  [{example.lang}] {example.text!r}\n"
              f"      expected {expected}\n      found    {found}")


if __name__ == "__main__":
    main()
