"""The normalised copy and its map back to the original characters."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nlp import KINDS, find_contacts
from nlp.normalise import Normalised, fold, normalise

# Text with the characters the normaliser cares about: look-alikes, full-width and keycap
# digits, invisible marks, accents, separators.
_TRICKY = st.lists(
    st.sampled_from(
        list(
            "abcdefghijklmnopqrstuvwxyz ABCXYZ 0123456789 .,@-+/()#:\n"
            "éàüßçñ ０１２３４ ｏ аео ٣٦ \u200b\ufe0f\u20e3 ①② 🔟 ’"
        )
        + ["zero", "six", "douze", "vingt", "et", "un", "at", "dot", "gmail", " ", "insta", "@"]
    ),
    max_size=60,
).map("".join)


def _is_a_valid_map(original: str, norm: Normalised) -> bool:
    return (
        len(norm.starts) == len(norm.ends) == len(norm.text)
        and all(0 <= s < e <= len(original) for s, e in zip(norm.starts, norm.ends))
        and all(a <= b for a, b in zip(norm.starts, list(norm.starts)[1:]))
    )


def test_ascii_folds_to_lower_case_with_an_identity_map():
    norm = fold("Call ME")

    assert norm.text == "call me"
    assert list(norm.starts) == [0, 1, 2, 3, 4, 5, 6]


def test_folding_maps_each_character_to_its_source():
    original = "Ｏ6 ａ@ß٣ 6️⃣."

    norm = fold(original)

    assert norm.text == "o6 a@ss3 6."
    assert [original[s:e] for s, e in zip(norm.starts, norm.ends)] == [
        "Ｏ",
        "6",
        " ",
        "ａ",
        "@",
        "ß",
        "ß",
        "٣",
        " ",
        "6️⃣",
        ".",
    ]


def test_rewrite_maps_a_replacement_to_what_it_replaces():
    norm = Normalised.identity("call six one two")

    rewritten = norm.rewrite([(5, 8, "6"), (9, 12, "1")])

    assert rewritten.text == "call 6 1 two"
    assert rewritten.original_span(5, 8) == (5, 12)


def test_normalise_reads_spelled_digits_spaced_letters_and_look_alikes():
    assert normalise("zéro six douze trente-quatre cinquante-six soixante-dix-huit").text == ("0 6 12 34 56 78")
    assert normalise("j o h n @ g m a i l . c o m").text == "john@gmail.com"
    assert normalise("w.h.a.t.s.a.p.p").text == "whatsapp"
    assert normalise("O6 l2 34 56 78").text == "06 12 34 56 78"


def test_normalise_leaves_lists_and_small_numbers_alone():
    assert normalise("teeth 2 3 4 5 and two crowns").text == "teeth 2 3 4 5 and two crowns"
    assert normalise("oil on 36, A2 shade").text == "oil on 36, a2 shade"


@settings(max_examples=150, deadline=None)
@given(_TRICKY)
def test_every_normalised_character_maps_inside_the_original(text):
    assert _is_a_valid_map(text, normalise(text))


@settings(max_examples=150, deadline=None)
@given(_TRICKY)
def test_findings_always_underline_the_original_text(text):
    findings = find_contacts(text)

    assert all(f.kind in KINDS and f.text == text[f.start : f.end] and f.text.strip() == f.text for f in findings)
    assert all(a.end <= b.start for a, b in zip(findings, findings[1:]))
