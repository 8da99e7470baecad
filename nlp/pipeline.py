"""`find_contacts`: one message in, the off-platform contact details in it out.

The message is normalised once (`nlp.normalise`); cheap regex detectors then look for
e-mail addresses, links, bank account numbers and phone numbers, and spaCy phrase matching
(`nlp.phrases`, `nlp.intents`) looks for apps, networks and requests to leave the platform
in the sentences that name one. Hits are mapped back to the original text and merged
(`nlp.findings`).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from nlp.emails import email_hits
from nlp.findings import Finding, merge_hits
from nlp.iban import iban_hits
from nlp.intents import intent_hits
from nlp.links import link_hits
from nlp.mentions import mention_hits
from nlp.normalise import normalise
from nlp.phones import phone_hits, regions_for
from nlp.phrases import tagger

DEFAULT_ALLOWED_DOMAINS = ("occlusa.com", "occlusa.local")
_LOCALE_SEPARATOR = re.compile(r"[-_]")
_AFTER_PASSAGE = 40  # characters after a sentence read for the writer's own answer


@lru_cache(maxsize=256)
def _language(locale: str) -> str:
    """ "pt_BR", "fr-CA" -> "pt", "fr"."""
    return _LOCALE_SEPARATOR.split(locale.lower())[0]


def find_contacts(text: str, lang: str | None = None, *, allowed_domains: Iterable[str] = ()) -> list[Finding]:
    """Off-platform contact details and requests in `text`, sorted and non-overlapping.

    `lang` is the message's language ("en", "fr", "es", "pt", "it", "de"; a locale such as
    "pt_BR" or "fr-CA" is read as its language), or None when unknown; it picks the
    regions national phone numbers are read in, while the cue phrases of all six languages
    are always looked for. `allowed_domains` are the platform's own
    domains (default: occlusa.com, occlusa.local): links to them and their subdomains are
    not findings. An empty list means the text is clean.

    Matchers are built when `nlp` is imported; the first call costs what any call does.
    """
    if not text or text.isspace():
        return []
    lang = _language(lang) if lang else None
    norm = normalise(text)
    hits = email_hits(norm.text)
    hits += link_hits(norm.text, tuple(allowed_domains) or DEFAULT_ALLOWED_DOMAINS)
    hits += iban_hits(norm.text)
    hits += mention_hits(norm.text)
    hits += phone_hits(norm.text, regions_for(lang))
    phrases = tagger()
    for start, end in phrases.passages(norm.text):
        passage = norm.text[start:end]
        hits += intent_hits(passage, *phrases(passage), offset=start, after=norm.text[end : end + _AFTER_PASSAGE])
    return merge_hits(text, ((*norm.original_span(h.start, h.end), h) for h in hits))
