"""Bank account numbers (IBAN): a payment detail that only makes sense off the platform.

An IBAN is two letters, two check digits and up to thirty letters or digits, often in groups
of four. Candidates are confirmed with the ISO 7064 mod-97 check, so a lot number or a case
reference that merely looks similar is not reported; a candidate that swallowed the next
word ("ES91 2100 ... 1332 para") is retried without its last groups.
"""

from __future__ import annotations

import re

from nlp.charclasses import CharClasses
from nlp.findings import OFF_PLATFORM_PAYMENT, Hit

_IBAN = re.compile(
    r"(?<![a-z0-9])[a-z]{2}\d{2}(?:[ -]?[a-z0-9]{4}){2,7}(?:[ -]?[a-z0-9]{1,4})?"
    r"(?![a-z0-9])"
)

# What every IBAN starts with, two letters and two digits, found from the digits (the
# pattern's lookbehind is tried at every position).
_COUNTRY_AND_CHECK = re.compile(r"\d(?<=[a-z][a-z]\d)\d")
_LETTERS_AND_DIGITS = CharClasses({"a": "abcdefghijklmnopqrstuvwxyz", "0": "0123456789"})


def _country_and_check(text: str) -> bool:
    """Whether `_COUNTRY_AND_CHECK` matches, told from the classes of an ASCII text."""
    classified = _LETTERS_AND_DIGITS.classify(text)
    if classified is None:
        return bool(_COUNTRY_AND_CHECK.search(text))
    return b"aa00" in classified


REASON = "Looks like a bank account number (IBAN)"


def iban_hits(text: str) -> list[Hit]:
    """IBANs in normalised text that pass the mod-97 check."""
    hits: list[Hit] = []
    if not _country_and_check(text):
        return hits
    for match in _IBAN.finditer(text):
        end = _checked_end(match.group())
        if end:
            hits.append(Hit(OFF_PLATFORM_PAYMENT, match.start(), match.start() + end, REASON))
    return hits


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
