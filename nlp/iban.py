"""Bank account numbers (IBAN), payment cards and crypto wallets: payment details that only make
sense off the platform.

An IBAN is two letters, two check digits and up to thirty letters or digits, often in groups
of four. Candidates are confirmed with the ISO 7064 mod-97 check, so a lot number or a case
reference that merely looks similar is not reported; a candidate that swallowed the next
word ("ES91 2100 ... 1332 para") is retried without its last groups. One mistyped or made up
("virement sur mon RIB FR76 3000 4012 ...") still counts when it has its country's length and a
word for a bank transfer stands before it. A card number is four groups of four digits that
pass the Luhn check; a wallet an Ethereum ("0x" and forty hex digits) or Bitcoin ("bc1 …")
address.
"""

from __future__ import annotations

import re

from nlp.charclasses import CharClasses
from nlp.dental import REFERENCE_WORDS
from nlp.findings import OFF_PLATFORM_PAYMENT, Hit

_IBAN = re.compile(
    r"(?<![a-z0-9])[a-z]{2}\d{2}(?:[ -]?[a-z0-9]{4}){2,7}(?:[ -]?[a-z0-9]{1,4})?"
    r"(?![a-z0-9])"
)

# What every IBAN starts with, two letters and two digits, found from the digits (the
# pattern's lookbehind is tried at every position).
_COUNTRY_AND_CHECK = re.compile(r"\d(?<=[a-z][a-z]\d)\d")
_LETTERS_AND_DIGITS = CharClasses({"a": "abcdefghijklmnopqrstuvwxyz", "0": "0123456789"})


def _country_and_check(text: str, classified: bytes | None) -> bool:
    """Whether `_COUNTRY_AND_CHECK` matches, told from the classes of an ASCII text."""
    if classified is None:
        return bool(_COUNTRY_AND_CHECK.search(text))
    return b"aa00" in classified


REASON = "Looks like a bank account number (IBAN)"
# IBAN lengths of the countries the platform's users write from and their neighbours.
_LENGTHS = {
    "fr": 27, "mc": 27, "be": 16, "lu": 20, "ch": 21, "es": 24, "pt": 25, "it": 27, "sm": 27, "de": 22, "at": 20,
    "nl": 18, "gb": 22, "ie": 22, "pl": 28, "ma": 28, "tn": 24, "eg": 29, "sa": 24, "ae": 23, "br": 29,
}  # fmt: skip
# A word for a bank transfer or an account, shortly before a made-up IBAN.
_BANK_WORD = re.compile(
    r"(?:iban|rib|virement|transfer|transferencia|bonifico|uberweis|konto|compte|cuenta|conta|conto|account|"
    r"حساب|ايبان|الايبان|الآيبان)\w*\W+(?:\w+\W+){0,3}$"
)
_CARD = re.compile(r"\d(?<![\d.,]\d)(?<!\d[ -]\d)\d{3}([ -])\d{4}\1\d{4}\1\d{4}(?![ -]?\d)")
_WALLET = re.compile(r"0(?<![a-z0-9]0)x[0-9a-f]{40}(?![a-z0-9])|b(?<![a-z0-9]b)c1[02-9ac-hj-np-z]{25,59}(?![a-z0-9])")
_LETTERS = re.compile(r"[^\W\d_]+")
_SERIAL_WORDS = REFERENCE_WORDS | frozenset("serie seriale seriennummer serienummer seriennr".split())
CARD_REASON = "Looks like a payment card number"
WALLET_REASON = "Looks like a crypto wallet address"


def iban_hits(text: str) -> list[Hit]:
    """IBANs in normalised text that pass the mod-97 check."""
    classified = _LETTERS_AND_DIGITS.classify(text)
    hits = _card_and_wallet_hits(text, classified)
    if not _country_and_check(text, classified):
        return hits
    for match in _IBAN.finditer(text):
        end = _checked_end(match.group()) or _end_at_length(text, match)
        if end:
            hits.append(Hit(OFF_PLATFORM_PAYMENT, match.start(), match.start() + end, REASON))
    return hits


def _end_at_length(text: str, match: re.Match) -> int | None:
    """Length of a prefix with its country's IBAN length, cut between groups, after a bank word."""
    candidate = match.group()
    length = _LENGTHS.get(candidate[:2])
    if not length or not _BANK_WORD.search(text, max(0, match.start() - 40), match.start()):
        return None
    while True:
        compact = candidate.replace(" ", "").replace("-", "")
        if len(compact) == length:
            return len(candidate)
        cut = max(candidate.rfind(" "), candidate.rfind("-"))
        if len(compact) < length or cut < 15:
            return None
        candidate = candidate[:cut]


def _card_and_wallet_hits(text: str, classified: bytes | None) -> list[Hit]:
    hits = []
    # (a space or a hyphen is of no class: one shape test for both)
    if classified is None or b"0000 0000 0000 0000" in classified:
        hits += [
            Hit(OFF_PLATFORM_PAYMENT, m.start(), m.end(), CARD_REASON)
            for m in _CARD.finditer(text)
            if _luhn(m.group().replace(m.group(1), "")) and not _named_reference(text, m.start())
        ]
    if "0x" in text or "bc1" in text:
        hits += [Hit(OFF_PLATFORM_PAYMENT, m.start(), m.end(), WALLET_REASON) for m in _WALLET.finditer(text)]
    return hits


def _named_reference(text: str, start: int) -> bool:
    """ "scanner serial 4012 3400 0101 2349", "numéro de série …", "lot …": an id named by one of
    the two words before the digits."""
    return not _SERIAL_WORDS.isdisjoint(_LETTERS.findall(text, max(0, start - 24), start)[-2:])


def _luhn(digits: str) -> bool:
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def _checked_end(candidate: str) -> int | None:
    """Length of the longest prefix, cut between groups, that checks: "es91 ... 1332 para"."""
    while True:
        if _checks(candidate):
            return len(candidate)
        cut = max(candidate.rfind(" "), candidate.rfind("-"))
        if cut < 15:
            return None
        candidate = candidate[:cut]


def _checks(candidate: str) -> bool:
    compact = candidate.replace(" ", "").replace("-", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    rearranged = compact[4:] + compact[:4]
    return int("".join(str(int(c, 36)) for c in rearranged)) % 97 == 1
