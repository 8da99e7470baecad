"""E-mail addresses, plain and disguised.

Finds "john.doe@gmail.com" and its disguises: "john dot doe at gmail",
"john(at)gmail(dot)com", "jean point dupont arobase orange point fr", "juan punto perez
arroba hotmail", "hans punkt mueller ät gmx punkt de", "john [at] gmail [dot] com",
"john @ gmail", "anna underscore cad at gmail". Spaced-out letters ("j o h n @ ...")
arrive already joined by `nlp.normalise`. A domain must end with a known
top-level domain, or be a well-known provider named alone ("john at gmail").
"""

from __future__ import annotations

import re

from nlp.alternation import word_alternation
from nlp.findings import EMAIL, Hit
from nlp.lexicon.addresses import EMAIL_PROVIDERS, TLDS
from nlp.normalise import fold

_OPEN, _CLOSE = r"[\(\[\{<]", r"[\)\]\}>]"
# Russian "собака" (dog) and "точка" (point), as `fold` writes them.
_AT_WORDS = "at|arobase|arroba|chez|chiocciola|klammeraffe|" + fold("собака").text
_DOT_WORDS = "dot|point|punto|ponto|punkt|" + fold("точка").text

_AT = (
    rf"(?:@|\s+@\s+|\s*{_OPEN}\s*(?:@|{_AT_WORDS})\s*{_CLOSE}\s*"
    rf"|\s+(?:{_AT_WORDS})\s+)"
)
_PROVIDERS = "|".join(EMAIL_PROVIDERS)
# "john @gmail.com", "john@ gmail": lopsided spaces, only before a well-known provider, since
# "insta @anna.cad.design" is a handle.
_LOPSIDED_AT = rf"(?:\s+@|@\s+)(?=(?:{_PROVIDERS})\b)"
_DOT = (
    rf"(?:\.|\s\.\s|\s*{_OPEN}\s*(?:\.|{_DOT_WORDS})\s*{_CLOSE}\s*"
    rf"|\s+(?:{_DOT_WORDS})\s+)"
)
_WORD = r"[a-z0-9](?:[a-z0-9_%+-]*[a-z0-9])?"
# The local part splits only one way ("ab_ab_ab" is never re-split on failure): its pieces
# have no separator inside, and each separator has one spelling.
_PIECE = r"[a-z0-9%+]+"
_LOCAL_SEPARATOR = (
    rf"[._-]|\s\.\s|\s*{_OPEN}\s*(?:\.|{_DOT_WORDS})\s*{_CLOSE}\s*"
    rf"|\s+(?:{_DOT_WORDS}|underscore|dash|hyphen|tiret|guion|trattino"
    rf"|unterstrich)\s+"
)
_LOCAL = rf"_?{_PIECE}(?:(?:{_LOCAL_SEPARATOR}){_PIECE})*"
# A comma may stand for the last dot: "anna@outlook,com".
_DOMAIN = (
    rf"{_WORD}(?:{_DOT}{_WORD})*(?:{_DOT}|,\s?)(?:{'|'.join(TLDS)})"
    rf"|(?:{_PROVIDERS})"
)

# "my work is at lab(dot)com" is a link: a verb is no local part before a spelled "at".
_NOT_LOCAL = (
    r"(?!(?:is|are|was|were|am|be|it|work|portfolio|site|everything|more|prices|photos)\s+at\s"
    # "tiktok chiocciola luca.cad": a handle on a network (`nlp.mentions`), not a mailbox
    r"|(?:tiktok|insta|instagram|twitter|snap|snapchat|threads|facebook|fb|ig)\s+(?:at|chiocciola|arroba|arobase)\s"
    # "en insta soy arroba coronas punto mx": who the writer is on a network, no mailbox's name
    r"|(?:soy|sou|sono|suis|bin|como|come|comme|ana)\s+(?:at|chiocciola|arroba|arobase)\s)"
)
_EMAIL = re.compile(
    rf"(?<![a-z0-9._%+-]){_NOT_LOCAL}{_LOCAL}(?:{_AT}|{_LOPSIDED_AT})(?!www\.)(?:{_DOMAIN})"
    rf"(?![a-z0-9-]|/\w)"  # "portfolio at behance.net/dan" is a link with a path
)
# Cheap tests that must both pass before the full pattern runs: a way to write "at", and a
# top-level domain after a dot or a well-known provider.
_AT_WORD_HINT = re.compile(word_alternation(_AT_WORDS.split("|"), after_first=r"(?<!\w.)") + r"(?!\w)")
# (The domain test in three patterns, which the regex engine skips through to their first
# characters: a pattern that opens with a word boundary is tried at every position.)
_TLD_AFTER = rf"\s*{word_alternation(TLDS)}\b"
_DOMAIN_HINTS = (
    re.compile(rf"[.,\)\]\}}>]{_TLD_AFTER}"),
    re.compile(word_alternation(_DOT_WORDS.split("|"), after_first=r"(?<!\w.)") + rf"\b{_TLD_AFTER}"),
    re.compile(word_alternation(EMAIL_PROVIDERS, after_first=r"(?<!\w.)") + r"\b"),
)

REASON = "Looks like an e-mail address"


def email_hits(text: str) -> list[Hit]:
    """E-mail addresses in normalised text."""
    # ("@" is looked for apart: a substring test costs less than a regex step per character)
    if not (("@" in text or _AT_WORD_HINT.search(text)) and any(hint.search(text) for hint in _DOMAIN_HINTS)):
        return []
    return [
        Hit(EMAIL, m.start(), m.end(), REASON)
        for m in _EMAIL.finditer(text)
        if not _IN_LINK.search(text, max(0, m.start() - 80), m.start())
    ]


# "ftp://login:pass@host" is a link with a password, not an address.
_IN_LINK = re.compile(r"://\S*$")
