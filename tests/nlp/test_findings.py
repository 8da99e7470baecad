"""The public interface: `find_contacts`, `Finding`, `KINDS`, offsets and merging."""

from __future__ import annotations

import dataclasses

import pytest

from nlp import DEFAULT_ALLOWED_DOMAINS, KINDS, Finding, find_contacts


def test_kinds_are_the_six_of_the_issue():
    assert KINDS == ("email", "phone", "messaging_app", "social", "url", "off_platform_payment")


def test_finding_is_a_frozen_dataclass():
    finding = find_contacts("write to anna@cadlab.com")[0]

    fields = [f.name for f in dataclasses.fields(Finding)]

    assert fields == ["kind", "start", "end", "text", "reason"]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.kind = "phone"


def test_clean_text_gives_an_empty_list():
    assert find_contacts("") == []
    assert find_contacts("   \n") == []
    assert find_contacts("Crown on 36, shade A2, cement gap 0.05 mm.") == []


@pytest.mark.parametrize(
    "text, expected",
    [
        ("call 06 12 34 56 78", "06 12 34 56 78"),
        ("tel ０６ １２ ３４ ５６ ７８ ok", "０６ １２ ３４ ５６ ７８"),
        ("num 0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣!", "0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣"),
        (
            "Zéro six douze trente-quatre cinquante-six soixante-dix-huit.",
            "Zéro six douze trente-quatre cinquante-six soixante-dix-huit",
        ),
        ("Ｍｙ ｍａｉｌ: Ａｎｎａ＠ｃａｄｌａｂ．ｃｏｍ", "Ａｎｎａ＠ｃａｄｌａｂ．ｃｏｍ"),
        ("écris-moi : j o h n @ g m a i l . c o m, merci", "j o h n @ g m a i l . c o m"),
        ("straße 1: anna.weiß@gmx.de", "anna.weiß@gmx.de"),
    ],
)
def test_offsets_point_into_the_original_text(text, expected):
    [finding] = find_contacts(text, "fr")

    assert finding.text == text[finding.start : finding.end] == expected


def test_findings_are_sorted_and_do_not_overlap():
    text = (
        "Mail anna@cadlab.com or +33 6 12 34 56 78, insta @anna.cad, www.cadlab.fr, "
        "and pay me by PayPal. Case 2024-0113 on 36."
    )

    findings = find_contacts(text, "en")

    assert [f.kind for f in findings] == ["email", "phone", "social", "url", "off_platform_payment"]
    for before, after in zip(findings, findings[1:]):
        assert before.end <= after.start
    assert all(f.text == text[f.start : f.end] and f.reason for f in findings)


@pytest.mark.parametrize(
    "text, kind",
    [
        ("wa.me/33612345678", "messaging_app"),  # a link containing a phone number
        ("anna@cadlab.com", "email"),  # an address containing a domain
        ("instagram.com/anna.cad", "social"),  # a link to a network
        ("paypal.me/annacad", "off_platform_payment"),  # a link to a payment page
    ],
)
def test_overlapping_hits_merge_into_the_most_specific_kind(text, kind):
    assert [(f.kind, f.text) for f in find_contacts(text)] == [(kind, text)]


@pytest.mark.parametrize(
    "text, lang, kind",
    [
        ("email me", "en", "email"),
        ("send me an email", "en", "email"),
        ("could you send me your personal email?", "en", "email"),
        ("what is your e-mail address?", "en", "email"),
        ("envoyez-moi un mail", "fr", "email"),
        ("mándame un correo", "es", "email"),
        ("wie ist deine E-Mail?", "de", "email"),
        ("pay me outside the platform", "en", "off_platform_payment"),
        ("call me", "en", "off_platform_payment"),
        ("send me your contact details", "en", "off_platform_payment"),
    ],
)
def test_a_request_names_the_channel_it_asks_for(text, lang, kind):
    assert [f.kind for f in find_contacts(text, lang)] == [kind]


def test_reasons_are_short_english_sentences():
    text = "anna@cadlab.com +33 6 12 34 56 78, add me on Line, www.x-lab.fr"

    findings = find_contacts(text, "en")

    assert [f.reason for f in findings] == [
        "Looks like an e-mail address",
        "Looks like a phone number",
        "Offers to continue on Line, a messaging app",
        "Links to a site outside the platform",
    ]


def test_platform_domains_are_allowed_by_default():
    assert DEFAULT_ALLOWED_DOMAINS == ("occlusa.com", "occlusa.local")
    assert find_contacts("see https://occlusa.com/help and http://app.occlusa.local/cases") == []
    assert find_contacts("see occlusa.com.evil.io")[0].kind == "url"


def test_allowed_domains_replace_the_default():
    text = "http://localhost:5000/cases/12 and https://occlusa.com/help"

    findings = find_contacts(text, allowed_domains=["localhost"])

    assert [f.text for f in findings] == ["https://occlusa.com/help"]


def test_the_vocabulary_of_a_long_running_process_stays_bounded(monkeypatch):
    from nlp import phrases

    monkeypatch.setattr(phrases, "_VOCABULARY_LIMIT", 40)
    monkeypatch.setattr(phrases, "_TAGGER", phrases.PhraseTagger("xx"))
    first = phrases.tagger()
    seen = set()

    for i in range(30):
        findings = find_contacts(f"add me on whatsapp, I am smile_lab_{i} xq{i}zv or k{i}w", "en")
        seen.add(id(phrases.tagger()))
        assert findings[0].kind == "messaging_app"

    assert phrases.tagger() is not first and len(seen) > 1
    assert len(phrases.tagger().nlp.vocab.strings) <= phrases.tagger().vocabulary_limit


@pytest.mark.parametrize(
    "text, lang, kind, underlined",
    [
        ("appelle-moi au 06 12 48 93 27 ce soir", "fr", "phone", "appelle-moi au 06 12 48 93 27"),
        ("Call me at (646) 298-1174 after 5pm", "en", "phone", "Call me at (646) 298-1174"),
        ("mi Skype es live:laura.gil.cad", "es", "messaging_app", "mi Skype es live:laura.gil.cad"),
    ],
)
def test_a_request_and_the_detail_it_announces_are_one_finding(text, lang, kind, underlined):
    findings = find_contacts(text, lang)

    assert [(f.kind, f.text) for f in findings] == [(kind, underlined)]


def test_a_request_apart_from_the_detail_stays_a_finding_of_its_own():
    findings = find_contacts("call me tomorrow. The lab number is 0612489327", "en")

    assert [f.kind for f in findings] == ["off_platform_payment", "phone"]
