"""Contact given without an address: what people write when they know addresses are caught.

Each rule is one regular expression over the normalised text, compiled at import:

- handles: reddit "u/name", "same handle on every network", a business page or profile
  named without a link ("FB page: Bright Arch Studio", "page Facebook Labo Orion");
- e-mail by implication: "my gmail is my username here", "gmail -> crownking77", "my full
  name at gmail", reversed addresses ("moc.liamg@kaz.bob"), RFC-quoted local parts
  ("\"john smith\"@example.org");
- links that lead off the platform without a domain of their own: link-in-bio and
  short-link services (linktr.ee, bit.ly, g.page), "link in bio", a QR code to scan;
- Skype ids ("live:.cid.7f3a...").

The rules of each kind live in their own module (`nlp.mention_accounts`, `nlp.mention_emails`,
`nlp.mention_links`, `nlp.mention_calls`, shared words in `nlp.mention_words`); this module
puts them in one table, in an order findings depend on, and runs it.

Languages: English, French, Spanish, Portuguese, Italian and German, and e-mail words in
Russian ("собака", "точка" are read by `nlp.emails`).
"""

from __future__ import annotations

from nlp.alternation import Substrings
from nlp.findings import Hit
from nlp.mention_accounts import HANDLES, HANDLES_AT_SPELLED_OUT, SAME_HANDLE_ELSEWHERE
from nlp.mention_calls import PHONE_NUMBERS_AFTER_CUES, SKYPE_IDS
from nlp.mention_emails import IMPLIED_EMAILS, backwards_email_hits
from nlp.mention_links import LINKS_WITHOUT_ADDRESS, SEARCH_ENGINE_NAMES, SPELLED_ARABIC_DOMAINS
from nlp.findings import SOCIAL
from nlp.mention_words import LOST_ACCOUNT, LOST_REACH, Rule

# The rules, each kind in its own module; findings depend on this order, keep it.
_RULES: tuple[Rule, ...] = (
    *HANDLES,
    *IMPLIED_EMAILS,
    *SEARCH_ENGINE_NAMES,
    *SAME_HANDLE_ELSEWHERE,
    *SPELLED_ARABIC_DOMAINS,
    *HANDLES_AT_SPELLED_OUT,
    *LINKS_WITHOUT_ADDRESS,
    *PHONE_NUMBERS_AFTER_CUES,
    *SKYPE_IDS,
)


# Every rule's hints, looked for in one scan of the text (see `nlp.alternation.Substrings`).
_GROUPS = tuple(tuple(map(frozenset, hints if isinstance(hints[0], tuple) else (hints,))) for hints, *_ in _RULES)
_HINTS = Substrings(hint for groups in _GROUPS for group in groups for hint in group)


# The rules filed under each hint of their first group: a text's hints name the few rules
# that may match, instead of every rule's groups being tested against them.
_BY_FIRST_HINT = {
    hint: tuple(i for i, groups in enumerate(_GROUPS) if hint in groups[0]) for groups in _GROUPS for hint in groups[0]
}
# (a rule with groups reports its groups: the numbers after its cues)
_REPORTED = tuple(range(1, pattern.groups + 1) if pattern.groups else (0,) for _, pattern, *_ in _RULES)


def mention_hits(text: str) -> list[Hit]:
    """Contact given by the rules above, in normalised text."""
    hits = []
    present = _HINTS(text)
    for index in sorted({i for hint in present for i in _BY_FIRST_HINT.get(hint, ())}):  # in table order
        groups = _GROUPS[index]
        if len(groups) > 1 and any(map(present.isdisjoint, groups[1:])):
            continue  # one hint of each group, or the rule cannot match
        _, pattern, kind, reason = _RULES[index]
        found = _REPORTED[index]
        hits += [
            Hit(kind, m.start(g), m.end(g), reason) for m in pattern.finditer(text) for g in found if m.start(g) >= 0
        ]
    hits += backwards_email_hits(text)
    return [hit for hit in hits if not _lost_page(text, hit)]


def _lost_page(text: str, hit: Hit) -> bool:
    """A page named without a handle or number, next to a word saying the account is lost:
    "mi hanno clonato il profilo instagram, se vi scrive 'io' ignorate"."""
    if hit.kind != SOCIAL or any(c == "@" or c.isdigit() for c in text[hit.start : hit.end]):
        return False
    return LOST_ACCOUNT.search(text, max(0, hit.start - LOST_REACH), hit.end + LOST_REACH) is not None
