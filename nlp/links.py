"""Links and domain names, other than the platform's own.

Finds "https://...", "www.lab-smile.fr", bare "lab-smile.com/cases", spelled-out domains
("labsmile dot com", "monsite point fr"), app links ("wa.me/336...", "t . me / lab",
"skype:john.doe?call"). Links to messaging apps, social networks and payment pages take that
more specific kind. Hosts on the allow-list (the platform's own domains) and their
subdomains are not findings.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from nlp.alternation import word_alternation
from nlp.findings import MESSAGING_APP, OFF_PLATFORM_PAYMENT, SOCIAL, URL, Hit
from nlp.lexicon.addresses import APP_SCHEMES, LINK_HOSTS, TLDS, WORD_TLDS

_LABEL = r"[a-z0-9](?:[a-z0-9-]*[a-z0-9])?"
_DOT_WORDS = r"(?:dot|point|punto|ponto|punkt)"
_SPELLED_DOT = (
    rf"(?:\s*[\(\[\{{]\s*(?:{_DOT_WORDS}|\.)\s*[\)\]\}}]\s*"
    rf"|\s+{_DOT_WORDS}\s+|\s\.\s)"
)
_BRACKET_DOT = rf"\s*[\(\[\{{]\s*(?:{_DOT_WORDS}|\.)\s*[\)\]\}}]\s*"
_PATH = r"(?:[/?#][^\s<>\"']*)?"
_TLDS = "|".join(TLDS)
_SAFE_TLDS = "|".join(t for t in TLDS if t not in WORD_TLDS)

_TLD_SET = frozenset(TLDS)
_DOT_LETTERS = re.compile(r"\.([a-z]{2,6})(?![a-z0-9-])")
_DOT_WORD_LIST = _DOT_WORDS[3:-1].split("|")
_DOT_WORD = re.compile(word_alternation(_DOT_WORD_LIST, after_first=r"(?<!\w.)") + r"(?!\w)")
_ME_SLASH = re.compile(r"me\s*(?:/|slash)")  # "wa.me/", "t . me / lab"


def _has_tld(text: str) -> bool:
    return any(m.group(1) in _TLD_SET for m in _DOT_LETTERS.finditer(text))


def _has_spelled_dot(text: str) -> bool:
    return (
        " . " in text
        or "(.)" in text
        or "[.]" in text
        or "{.}" in text
        # (the words looked for as substrings first: most texts have none)
        or (any(map(text.__contains__, _DOT_WORD_LIST)) and bool(_DOT_WORD.search(text)))
    )


# Each kind of link, with a cheap test that must pass before its pattern is run.
_PATTERNS = (
    (lambda text: "://" in text, re.compile(r"\b(?:https?|ftp)://[^\s<>\"']+")),
    (
        lambda text: "://" in text or "skype:" in text,
        re.compile(rf"\b(?:{'|'.join(APP_SCHEMES)})://[^\s<>\"']+|\bskype:[a-z0-9._-]+"),
    ),
    (lambda text: "www" in text, re.compile(rf"\bwww(?:\.|{_SPELLED_DOT})[^\s<>\"']+")),
    (_has_tld, re.compile(rf"(?<![\w@.-])(?:{_LABEL}\.)+(?:{_TLDS})(?![\w-])(?::\d+)?{_PATH}")),
    (
        _has_spelled_dot,
        re.compile(
            rf"(?<![\w@.-])[a-z0-9-]{{3,}}(?:{_SPELLED_DOT}{_LABEL})*{_SPELLED_DOT}"
            rf"(?:{_SAFE_TLDS})(?![\w-])"
        ),
    ),
    # Defanged dots ("lab[.]de", "denti(punto)it") are never ordinary words: any TLD will do.
    (
        _has_spelled_dot,
        re.compile(
            rf"(?<![\w@.-])[a-z0-9-]{{3,}}(?:(?:\.|{_BRACKET_DOT}){_LABEL})*{_BRACKET_DOT}"
            rf"(?:{_TLDS})(?![\w-]){_PATH}"
        ),
    ),
    (_ME_SLASH.search, re.compile(rf"\b(?:wa|t)\s*(?:\.|{_SPELLED_DOT})\s*me\s*(?:/|slash)\s*\+?\w+")),
)
_SPELLED_DOTS = re.compile(_SPELLED_DOT)
_HOST_END = re.compile(r"[/?#:]")
_SPACES = re.compile(r"\s+")
_LETTER = re.compile(r"[a-z]")
_TRAILING = ".,;:!?)]}'\""

REASONS = {
    URL: "Links to a site outside the platform",
    MESSAGING_APP: "Links to {}, a messaging app",
    SOCIAL: "Links to a profile on {}",
    OFF_PLATFORM_PAYMENT: "Links to a {} payment page",
}


def link_hits(text: str, allowed_domains: Iterable[str]) -> list[Hit]:
    """Links in normalised text whose host is not allowed."""
    allowed = _lowered(tuple(allowed_domains))
    hits = []
    tested: dict = {}  # two patterns share the spelled-dot test, which reads the whole text
    for may_contain, pattern in _PATTERNS:
        if may_contain not in tested:
            tested[may_contain] = may_contain(text)
        if not tested[may_contain]:
            continue
        for match in pattern.finditer(text):
            link = match.group().rstrip(_TRAILING)
            scheme, host = _scheme_and_host(link)
            # "1.2.3" is no host; "http://192.168.1.1/" and "http://例子.测试" are.
            if (not scheme and not _LETTER.search(host)) or _is_allowed(host, allowed):
                continue
            kind, name = _classify(scheme, host)
            reason = REASONS[kind].format(name)
            hits.append(Hit(kind, match.start(), match.start() + len(link), reason))
    return hits


@lru_cache(maxsize=64)
def _lowered(domains: tuple[str, ...]) -> tuple[str, ...]:
    """The allowed domains as hosts are compared (the same few come with every message)."""
    return tuple(domain.lower().strip(".") for domain in domains)


def _scheme_and_host(link: str) -> tuple[str, str]:
    scheme, sep, rest = link.partition("://")
    if not sep:
        scheme, rest = ("skype", link[6:]) if link.startswith("skype:") else ("", link)
    rest = _SPELLED_DOTS.sub(".", rest)
    if "@" in rest.split("/")[0]:
        rest = rest.split("@")[-1]  # user:password@host
    host = _SPACES.sub("", _HOST_END.split(rest)[0])
    return scheme, host.removeprefix("www.")


def _is_allowed(host: str, allowed: tuple[str, ...]) -> bool:
    return any(host == domain or host.endswith("." + domain) for domain in allowed)


def _classify(scheme: str, host: str) -> tuple[str, str]:
    if scheme in APP_SCHEMES:
        return MESSAGING_APP, APP_SCHEMES[scheme]
    for suffix, (kind, name) in LINK_HOSTS.items():
        if host == suffix or host.endswith("." + suffix):
            return kind, name
    return URL, ""
