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
QR_CODE = "Points to a QR code that leads outside the platform"
# Links found by their address (`nlp.links`): what a pointer before them points to.
_LINK_REASON = re.compile(r"Links to ")
# A pointer and its link in one clause: "scan the QR on my card, it opens my page at lab.fr".
_SAME_CLAUSE = re.compile(r"[^.!?;\n]{0,60}")
_REQUEST_REACH = re.compile(r"[^.!?;\n]{0,30}")
_HOST_LABELS = re.compile(r"[a-z0-9-]{3,}")
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
        if joined and _points_to(original, joined[-1], span):
            pointer = joined[-1][2]
            joined[-1] = span if pointer.kind == URL or _rank(pointer) >= _rank(span[2]) else [*span[:2], pointer]
        elif joined and _one_offer(original, joined[-1], span):
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
        # a request and what it asks for, a few words on in its clause: "email me — add a dot between
        # first and last name: harriet walsh, outlook"
        return a.reason in _REQUESTS and a.kind == b.kind and bool(_REQUEST_REACH.fullmatch(original, end, start))
    return a.kind == b.kind or (a.reason in _REQUESTS) != (b.reason in _REQUESTS)


def _points_to(original: str, first: list, second: list) -> bool:
    """A phrase followed in its clause by the link it points to ("link in bio: x.carrd.co",
    "il mio Behance: behance.net/x", "paga no link do PicPay: picpay.me/x"): the link is the
    one finding, of the phrase's kind when that is more specific."""
    (start, end, pointer), (link_start, link_end, link) = first, second
    if not _LINK_REASON.match(link.reason) or _LINK_REASON.match(pointer.reason):
        return False
    if not _SAME_CLAUSE.fullmatch(original, end, link_start):
        return False
    if pointer.reason in (LINK_IN_BIO, QR_CODE):
        return True
    host = original[link_start:link_end].lower().split("://")[-1].split("/")[0]
    words = set(_HOST_LABELS.findall(original[start:end].lower()))
    return any(label in words for label in _HOST_LABELS.findall(host)[:-1])


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Shrink a span so it neither starts nor ends with white space."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end
