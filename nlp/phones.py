"""Phone numbers of any country, in the usual formats and disguised.

Works on normalised text, where full-width and keycap digits, look-alike letters and
spelled-out numbers are already digits. A candidate is a run of seven or more digits with
up to four separators between any two ("+33 6 12 34 56 78", "0-6-1-2 ...", "(555)
123-4567", "six one two, three four"), line breaks included. Dental numbers (see
`nlp.dental`) are blanked out first. A candidate is reported when `phonenumbers` finds it
valid as dialled internationally or in one of the regions likely for the message's
language, trying it whole and without a stray first or last group; when it is dialled with
"+" and has a possible length; or, failing that, when a phone cue ("tel", "call me",
"whatsapp") stands right before it.
"""

from __future__ import annotations

import re
from functools import lru_cache

import phonenumbers

from nlp.alternation import word_alternation
from nlp.dental import REFERENCE_WORDS, all_dental, dental_spans
from nlp.findings import PHONE, Hit

# Digits glued to a word, or in a link's path or query ("/cases/2024-0113", "?id=..."), are
# not candidates.
# (The first character is matched before the lookbehind, which then reads one character
# further back: a pattern that starts with a character class lets the regex engine skip to
# the next "+" or digit without trying the pattern at every position in between.)
_CANDIDATE = re.compile(
    r"[+\d](?:(?<=\+)(?<![\w+/=].)\s?\d|(?<=\d)(?<![\w+/=].))(?:[\s.,\-/\\()*|~]{0,4}\d){6,18}(?!\w)"
)
_GROUP = re.compile(r"\d+")
_MIN_DIGITS = 8
_MAX_DIGITS = 15
_CUE_REACH = 40  # characters before a candidate searched for a phone cue
# (Word lists are prefix trees, see `nlp.alternation`: each letter is read once.)
_CUE_WORDS = (
    "tel phone telephone telefono telefone telefon mobile mobil cell celular cellulare movil portable handy "
    "whatsapp zap number numero nummer call appelle llama liga chiama ruf sms text wa"
).split()
_CUE = re.compile(rf"{word_alternation(_CUE_WORDS)}\b\W{{0,12}}(?:\w+\W{{1,3}}){{0,3}}$")

_CORE_REGIONS = ("US", "GB", "FR", "DE", "ES", "IT", "PT", "BR")
REGIONS = {
    "en": ("US", "GB", "CA", "AU", "IE", "NZ", "IN", "ZA"),
    "fr": ("FR", "BE", "CH", "LU", "CA", "MA"),
    "es": ("ES", "MX", "AR", "CO", "CL", "PE", "US"),
    "pt": ("BR", "PT"),
    "it": ("IT", "CH"),
    "de": ("DE", "AT", "CH"),
}

REASON = "Looks like a phone number"


@lru_cache(maxsize=None)
def regions_for(lang: str | None) -> tuple[str, ...]:
    """Regions to read national numbers in: the language's own first, then the core ones."""
    own = REGIONS.get(lang, ()) if lang else tuple(r for rs in REGIONS.values() for r in rs)
    return tuple(dict.fromkeys(own + _CORE_REGIONS))


# Digit groups glued by underscores or an "x": "646_555_0188", "312x555x0175" (one
# character for one, so offsets hold). A match starts where a digit run does: the
# lookbehind spares the regex engine a retry at every other digit of the run.
_GLUED = re.compile(r"\d(?<!\d\d)\d*(?:[_x]\d+){2,}")


# Three digit groups or more joined by underscores, brackets allowed: "(21)_99876_5432"
# (one underscore is a file name's date and time: "20250113_094512.jpg").
_UNDERSCORED = re.compile(r"\(?\d+\)?(?:_+\(?\d+\)?){2,}")
# A joiner between two digit groups, which every match of the two patterns above holds:
# found from the joiner, so most texts with an "_" or an "x" are not read twice.
_MAY_BE_UNDERSCORED = re.compile(r"_(?<=[\d)]_)_*\(?\d")
_MAY_BE_GLUED = re.compile(r"[_x](?<=\d[_x])\d+[_x]\d")


def _unglue(match: re.Match) -> str:
    return match.group().replace("_", " ").replace("x", " ")


# North American toll-free numbers spelled on the keypad: "1-800-FLOWERS".
# Dialled with its "1" or joined by a hyphen, so "800 units" stays a quantity.
_VANITY = re.compile(
    r"(?<![\w+])(?:\+?1[\s.-]?\(?8(?:00|33|44|55|66|77|88)\)?[\s.-]?"
    r"|8(?:00|33|44|55|66|77|88)-)"
    r"(?:[a-z0-9]{3}[\s.-]?[a-z0-9]{4}|[a-z]{4,7})(?![\w])"
)


_TOLL_FREE = re.compile(r"8(?:00|33|44|55|66|77|88)")


def phone_hits(text: str, regions: tuple[str, ...]) -> list[Hit]:
    """Phone numbers in normalised text."""
    hits = (
        [Hit(PHONE, m.start(), m.end(), REASON) for m in _VANITY.finditer(text) if any(c.isalpha() for c in m.group())]
        if _TOLL_FREE.search(text)
        else []
    )
    if "_" in text and _MAY_BE_UNDERSCORED.search(text):
        text = _UNDERSCORED.sub(lambda m: m.group().replace("_", " "), text)
    if "x" in text and _MAY_BE_GLUED.search(text):
        text = _GLUED.sub(_unglue, text)
    candidates = [m.span() for m in _CANDIDATE.finditer(text) if _long_enough(text, *m.span())]
    if not candidates or all_dental(text, candidates):
        return hits + _split_number_hits(text, regions, hits)
    masked = _blank(text, dental_spans(text, candidates))
    for candidate in _CANDIDATE.finditer(masked):
        groups = [g.span() for g in _GROUP.finditer(masked, candidate.start(), candidate.end())]
        span = _valid_span(masked, groups, regions)
        if span:
            hits.append(Hit(PHONE, *span, REASON))
    return hits + _split_number_hits(text, regions, hits)


# A number given in two pieces after a phone cue, the second in the next sentence or after a
# word that says it continues: "my number starts with 0770 090. the rest is 0461",
# "mon numéro : 06 12 34, la suite 56 78". Both pieces together must be a valid number.
_SPLIT_CUE_WORDS = (
    "tel phone number numero nummer mobile mobil cel cell celular cellulare movil portable handy telefone telefono "
    "telefon telemovel rqm raqm ra9m nmra nemra رقم الرقم رقمي نمرة النمرة نمرتي"
).split()
# (One word at most ends at a word boundary where the cue starts: the tree picks the word
# the listed alternation did.)
_SPLIT = re.compile(
    rf"{word_alternation(_SPLIT_CUE_WORDS)}\b\D{{0,24}}?(?<![\w+])(\+?\d(?:[ .-]?\d){{2,10}})(?!\d)"
    # (a digit inside an Arabizi word is a letter: "w lba9i 87 09")
    r"((?:\D|(?<=[a-z])\d(?=[a-z])){1,30}?)(?<![\w+])(\d(?:[ .-]?\d){1,10})(?![\d\w])"
)
# (or ends it: "finisce con", "termina em", "the last digits", "والباقي")
_LETTERS = re.compile(r"[^\W\d_]+")
_CONTINUES = re.compile(
    r"[.!?;\n]|rest|suite|resto|dann|puis|then|luego|depois|poi|after|apres|despues|dopo|danach|sigue|segue|continu"
    r"|finisce|finit|termina|ends|endet|last|ultim|dernier|letzte|lba9i|ba9i|baqi|باقي"
)
# The cue words that hold no other (one of them stands in each cue): a text with none has no
# split number, and is not read for one.
_SPLIT_CUE_STEMS = tuple(w for w in _SPLIT_CUE_WORDS if not any(o != w and o in w for o in _SPLIT_CUE_WORDS))


def _split_number_hits(text: str, regions: tuple[str, ...], found: list[Hit]) -> list[Hit]:
    hits = []
    if not any(map(text.__contains__, _SPLIT_CUE_STEMS)):
        return hits
    for match in _SPLIT.finditer(text):
        start, end = match.start(1), match.end(3)
        if any(hit.start < end and start < hit.end for hit in found) or not _CONTINUES.search(match.group(2)):
            continue
        if not REFERENCE_WORDS.isdisjoint(_LETTERS.findall(text, max(0, match.start() - 16), match.start(1))):
            continue  # "case number starts with 2024, the rest is 0113", "رقم الطلب ..."
        # "numero del caso 2024 0113"; after a trunk or country prefix the second piece alone may
        # read as teeth and is still the number's end ("+212 661 55. والباقي 38 72")
        prefixed = match.group(1)[0] in "+0"
        if any(all_dental(text, [match.span(piece)]) for piece in ((1,) if prefixed else (1, 3))):
            continue
        digits = "".join(_GROUP.findall(match.group(1) + match.group(3)))
        if _MIN_DIGITS <= len(digits) <= _MAX_DIGITS and _is_phone(digits, match.group(1)[0] == "+", regions):
            hits.append(Hit(PHONE, start, end, REASON))
    return hits


def _long_enough(text: str, start: int, end: int) -> bool:
    """Seven digits make a candidate only after a "+" (the pattern reads seven at least);
    shorter runs need no dental check."""
    return text[start] == "+" or _ENOUGH_DIGITS.match(text, start, end) is not None


_ENOUGH_DIGITS = re.compile(rf"(?:\D*\d){{{_MIN_DIGITS}}}")


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    chars = list(text)
    for start, end in spans:
        chars[start:end] = "#" * (end - start)
    return "".join(chars)


def _valid_span(text: str, groups: list[tuple[int, int]], regions: tuple[str, ...]):
    """Span of the number in the candidate's digit groups, trimming one stray group each side
    (never the country code after a "+")."""
    n = len(groups)
    dialled = text[max(0, groups[0][0] - 2) : groups[0][0]].strip().endswith("+")
    for first, last in ((0, n), (1, n), (0, n - 1), (1, n - 1)):
        if last - first < 1 or (first and dialled):
            continue
        start, end = groups[first][0], groups[last - 1][1]
        plus = dialled and not first
        digits = "".join(text[a:b] for a, b in groups[first:last])
        if _MIN_DIGITS - plus <= len(digits) <= _MAX_DIGITS and _is_phone(digits, plus, regions):
            if plus:
                start = text.rindex("+", 0, start)
            elif text[start - 1 : start] == "(" and ")" in text[start:end]:
                start -= 1
            return start, end
    digits = "".join(text[a:b] for a, b in groups)
    cue_from = max(0, groups[0][0] - _CUE_REACH)
    if _MIN_DIGITS <= len(digits) <= _MAX_DIGITS and _CUE.search(text, cue_from, groups[0][0]):
        return groups[0][0], groups[-1][1]
    return None


@lru_cache(maxsize=None)
def _national_lengths(region: str) -> frozenset[int]:
    """Lengths a number dialled nationally in `region` may have, with its trunk prefix or not:
    `phonenumbers.parse` costs tens of microseconds, a set lookup nothing."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    lengths = set(metadata.general_desc.possible_length)
    prefix = len(metadata.national_prefix or "")
    return frozenset(lengths | {length + prefix for length in lengths})


@lru_cache(maxsize=4096)
def _is_phone(digits: str, plus: bool, regions: tuple[str, ...]) -> bool:
    """Valid as dialled with "+", or nationally in one of `regions`, or internationally
    without its "+" (remembered: the same runs come back, in a thread and its quotes)."""
    if plus or digits.startswith("00"):
        return _valid("+" + digits.removeprefix("00"), None, possible_is_enough=plus)
    if any(
        _valid(digits, region)
        for region in regions
        if len(digits) in _national_lengths(region) and _may_be_valid(digits, region)
    ):
        return True
    return len(digits) >= 10 and digits[0] != "0" and _valid("+" + digits, None)


@lru_cache(maxsize=None)
def _national_shape(region: str) -> tuple[re.Pattern, tuple[str, ...]] | None:
    """The pattern every valid national number of `region` matches, and the prefixes
    `phonenumbers.parse` strips from a number dialled there (trunk prefix, country code);
    None where parsing strips more than that (carrier codes in Brazil, Argentina ...)."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.national_prefix or ""
    if (metadata.national_prefix_for_parsing or "") != prefix:
        return None
    pattern = re.compile(metadata.general_desc.national_number_pattern)
    country = str(metadata.country_code)
    return pattern, tuple(filter(None, (prefix, country, country + prefix)))


def _may_be_valid(digits: str, region: str) -> bool:
    """A cheap necessary condition of `_valid(digits, region)`: a parse costs tens of
    microseconds, a pattern test one; most digit runs that reach it are no number there."""
    shape = _national_shape(region)
    if shape is None or digits.startswith(("00", "011")):  # dialled abroad: parse reads it
        return True
    pattern, prefixes = shape
    return bool(pattern.fullmatch(digits)) or any(
        digits.startswith(prefix) and pattern.fullmatch(digits, len(prefix)) for prefix in prefixes
    )


def _valid(number: str, region: str | None, possible_is_enough: bool = False) -> bool:
    """Valid per `phonenumbers`; for a number dialled with "+", a possible length will do."""
    try:
        parsed = phonenumbers.parse(number, region)
    except phonenumbers.NumberParseException:
        return False
    return phonenumbers.is_valid_number(parsed) or (possible_is_enough and phonenumbers.is_possible_number(parsed))
