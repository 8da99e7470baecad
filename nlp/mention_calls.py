"""Mention rules for ways to be called directly: phone numbers after cues, Skype ids.

Short local numbers right after a phone cue ("call 555 0123", "mon fixe: 71 23 45"), a
number given in two parts ("mon num commence par 06 55. la suite c'est 21 30 44"), and
Skype ids ("live:.cid.7f3a..."), which the general phone and app matchers do not see.
"""

from __future__ import annotations

import re

from nlp.alternation import word_alternation
from nlp.findings import MESSAGING_APP, PHONE
from nlp.mention_words import Rule

# Words that open a number given in parts, and that continue it.
_NUMBER_START_HINTS = (
    "commence par",
    "empieza por",
    "primeros",
    "primeras",
    "comincia con",
    "prime cifre",
    "comeca com",
    "primeiros",
    "beginnt mit",
    "starts with",
    "first digits",
    "kaybda",
    "يبدا",
    "indicatif",
    "prefisso",
    "vorwahl",
    "premiers chiffres",
)
_NUMBER_START = (
    word_alternation(
        (
            "num",
            "numero",
            "nummer",
            "number",
            "ra9m",
            "الرقم",
            "rakm",
            "los",
            "las",
            "le",
            "os",
            "first",
            "premiers",
            "vorwahl",
            "indicatif",
            "prefisso",
        ),
        after_first=r"(?<!\w.)",
    )
    + r"(?:\s+(?:commence|empieza|comincia|comeca|beginnt|starts|kaybda|يبدا)\s+(?:par|por|con|com|mit|with|b|ب)"
    r"|(?<=los) primeros(?: \d)? son|(?<=las) primeras cifras son|(?<=le) prime cifre sono|(?<=os) primeiros(?: \d)? sao"
    r"|(?<=first) digits are|(?<=premiers) chiffres|(?<=vorwahl)|(?<=indicatif)|(?<=prefisso))"
)
_NUMBER_REST = (
    r"la suite(?: c'est)?|puis|los otros(?: \d)?(?: son)?|el resto(?: es)?|poi|il resto|o resto(?: e)?|os outros(?: \d)?(?: sao)?|"
    r"dann|der rest(?: ist)?|the rest(?: is)?|then|kaykmel b|ykmel b|والباقي|الباقي"
)

PHONE_NUMBERS_AFTER_CUES: tuple[Rule, ...] = (
    # short local numbers right after a phone cue: "call 555 0123", "mon fixe: 71 23 45"
    (
        ("call", "ring", "tel", "phone", "fixe", "appelle", "llama", "ruf", "chiama", "liga", "festnetz"),
        re.compile(
            r"(?<!\w)(?:call(?: me)?|ring(?: me)?|tel|phone|appelle(?:-moi)?|mon fixe|fixe|llamame|llama al|"
            r"ruf(?: mich)?(?: an)?|chiamami|chiama|liga(?: pra mim)?|festnetz)\b[\s:.]*(?:(?:on|at|au|al|unter|no|su)\s+)?"
            r"(?<![\d.,])(\d{3}[\s.-]?\d{4}|\d{2}(?:[\s.-]\d{2}){2})(?![\s.,-]?\d|\s?(?:mm|%|eur|€|\$|units?))"
        ),
        PHONE,
        "Looks like a phone number",
    ),
    # a number given in two parts: "mon num commence par 06 55. la suite c'est 21 30 44"
    (
        _NUMBER_START_HINTS,
        re.compile(
            rf"{_NUMBER_START}\b[^\d\n]{{0,12}}?((?:0|\+)\d{{1,3}}(?:[ .-]\d{{2,4}}){{0,2}}|\d{{2,4}}[ .-]\d{{2,4}})(?![\d])"
            rf"(?:[^\d\n]{{0,30}}?(?:{_NUMBER_REST})\b[^\d\n]{{0,12}}?(\d{{2,4}}(?:[ .-]\d{{2,4}}){{1,2}})(?![\d]))?"
        ),
        PHONE,
        "Looks like a phone number given in parts",
    ),
)

SKYPE_IDS: tuple[Rule, ...] = (
    (
        ("live:",),
        re.compile(r"\blive:(?:\.cid\.)?[a-z0-9._-]{3,}"),
        MESSAGING_APP,
        "Offers to continue on Skype, a messaging app",
    ),
)
