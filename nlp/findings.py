"""What the filter reports: findings, their kinds, and how overlapping hits are merged.

Detectors work on the normalised copy of a message and report `Hit`s in its coordinates;
`merge_hits` maps them back to the original text and merges overlapping hits into one
`Finding`, keeping the most specific kind (an e-mail address contains a domain, a wa.me link
contains a phone number: the reader wants to hear "e-mail" and "WhatsApp", not "link").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

EMAIL = "email"
PHONE = "phone"
MESSAGING_APP = "messaging_app"
SOCIAL = "social"
URL = "url"
# Requests to move the deal off the platform: pay outside it, or continue the conversation
# outside it ("write me outside the site"), when no address, number or app is named.
OFF_PLATFORM_PAYMENT = "off_platform_payment"

KINDS = (EMAIL, PHONE, MESSAGING_APP, SOCIAL, URL, OFF_PLATFORM_PAYMENT)

# Requests that name no address of their own ("call me", "your details?", "write me
# directly"): next to the number or handle they announce, they are one finding with it.
CONTACT_REQUEST = "Asks to be contacted outside the platform"
DETAILS_REQUEST = "Asks for contact details to use outside the platform"
LEAVE_REQUEST = "Asks to continue or pay outside the platform"
LINK_IN_BIO = "Points to a link in a profile's bio"
_REQUESTS = frozenset((CONTACT_REQUEST, DETAILS_REQUEST, LEAVE_REQUEST))
# What may stand between two pieces of one contact offer: punctuation, an arrow, one short
# word ("call me ON 06 ...", "my skype IS live:...", "u/julie_cad, write me in private").
_JOINT = re.compile(r"[\s:,=>-]*(?:[^\W\d_]{1,5}[\s:,=>-]+)?")

# When hits overlap, the first kind in this order names the merged finding.
_SPECIFICITY = {
    kind: rank for rank, kind in enumerate((EMAIL, MESSAGING_APP, SOCIAL, OFF_PLATFORM_PAYMENT, PHONE, URL))
}


@dataclass(frozen=True, slots=True)
class Finding:
    """A piece of the original text that looks like off-platform contact.

    `text` is `original[start:end]`, so a UI can underline it; `reason` is a short English
    sentence telling the writer why it was stopped.
    """

    kind: str
    start: int
    end: int
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Hit:
    """A detector's match, in the coordinates of the normalised text it ran on."""

    kind: str
    start: int
    end: int
    reason: str


def merge_hits(original: str, spans: Iterable[tuple[int, int, Hit]]) -> list[Finding]:
    """Turn hits (already mapped to original `start, end`) into sorted, non-overlapping findings."""
    merged: list[list] = []  # [start, end, hit] with the hit that names the merged span
    for start, end, hit in sorted(spans, key=lambda s: (s[0], -s[1])):
        start, end = _trim(original, start, end)
        if start >= end:
            continue
        if merged and start < merged[-1][1]:
            last = merged[-1]
            last[1] = max(last[1], end)
            if _rank(hit) < _rank(last[2]):
                last[2] = hit
        else:
            merged.append([start, end, hit])
    joined: list[list] = []
    for span in merged:
        if joined and _one_offer(original, joined[-1], span):
            last = joined[-1]
            last[1] = span[1]
            if last[2].reason in _REQUESTS:
                last[2] = span[2]
        else:
            joined.append(span)
    return [Finding(hit.kind, start, end, original[start:end], hit.reason) for start, end, hit in joined]


def _rank(hit: Hit) -> float:
    # a link in a network's bio is the link, not the account ("le lien dans ma bio insta")
    return _SPECIFICITY[SOCIAL] - 0.5 if hit.reason == LINK_IN_BIO else _SPECIFICITY[hit.kind]


def _one_offer(original: str, first: list, second: list) -> bool:
    """Two findings side by side that make one offer: the same kind ("mi Skype es
    live:laura.cad"), or a request next to the address it announces ("appelle-moi au 06 ...")."""
    (_, end, a), (start, _, b) = first, second
    if not _JOINT.fullmatch(original, end, start):
        return False
    return a.kind == b.kind or (a.reason in _REQUESTS) != (b.reason in _REQUESTS)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
