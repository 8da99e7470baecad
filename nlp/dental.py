"""Dental talk that looks like numbers, kept away from the phone detector.

A case thread is full of digit groups: tooth lists ("11 12 13 21 22", "teeth 2 3 4 5",
"36-46"), measurements ("0.05 mm", "margin 1,2mm", "12 µm"), prices and quantities ("$7",
"45 EUR", "10 units"), dates ("2024-01-13", "13/01/2024"), decimals ("0.05 0.08 0.10"),
case, lot, order and part references ("Case 2024-0113", "then 2025-0443", "LOT 2210456789",
"REF 021.4316", "LAB-88213"). `dental_spans` returns the spans of such numbers inside and
right after the phone candidates, which the phone detector blanks out before it reads them.

What a candidate starts with is read from the words just before it ("case", "teeth", "$");
what it contains and what follows it, with patterns. A phone cue right before a candidate
("tel", "whatsapp") wins over the patterns. Digits glued to letters ("IMG_4821", "scan_20240113")
never make phone candidates, so file names and shade codes need no rule of their own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from nlp.alternation import word_alternation

_NUMBER = r"\d+(?:[.,]\d+)?"
# (Word lists are prefix trees, see `nlp.alternation`: each letter is read once. A unit or
# currency is followed by no letter, so at most one of them matches where one starts.)
_UNITS = word_alternation(
    (
        "mm cm um micron microns mic deg degree degrees grad ° % ml mg g kg ncm n x unit units unidade "
        "unidades unite unites unita einheiten stk pcs piece pieces pezzi pecas piezas crown crowns "
        "couronne couronnes corona coronas coroas corone kronen arch arches arcada arcadas arcate kiefer "
        "teeth dents dientes dentes denti zahne day days jour jours dias giorni tage h hour hours heure "
        "heures horas ore stunden min minute minutes minutos minuti"
    ).split()
)
_CURRENCY = word_alternation("$ € £ usd eur euro euros dollar dollars gbp chf brl r$ reais mxn cad aud".split())

# Numbers read from what they contain and what follows them. Every shape starts a run of
# digits: the pattern opens with that first digit, so the regex engine skips to digits, and
# one lookbehind tells a run's start before the five shapes are tried, each reading on from
# the second character (its own lookbehind reaches back over the first digit). The
# lookaheads skip past the units and currencies when no letter follows.
_SHAPES = re.compile(
    r"\d(?<!\d\d)(?:"
    + "|".join(
        (
            # dates: 2024-01-13, 13/01/2024, 13.01.24
            r"(?<![\d.\-/]\d)(?:\d{3}[-/.]\d{1,2}[-/.]\d{1,2}|\d?[-/.]\d{1,2}[-/.](?:\d{4}|\d{2}))"
            r"(?![.\-/]?\d)",
            # measurements and quantities, ranges included: 0.05-0.08 mm, 10 units
            # ("x12" after a number is an extension, not "times": a unit is followed by no digit)
            # (each guard reads the run of number characters once, without backtracking, and
            # looks for the unit or currency that must end it: most runs have none)
            rf"(?<![\d.,]\d)(?=[\d.,\s/-]*+(?:{_UNITS})(?![a-z\d]))"
            rf"\d*(?:[.,]\d+)?(?:\s?[-/]\s?{_NUMBER})*\s?(?=[a-z°%])(?:{_UNITS})(?![a-z\d])",
            # prices with the currency after: 45 EUR, 1.250,00 €
            rf"(?<![\d.,]\d)(?=[\d.,\s]*+(?:{_CURRENCY})(?![a-z]))"
            rf"\d*(?:[.,\s]\d{{3}})*(?:[.,]\d{{1,2}})?\s?(?=[$€£a-z])(?:{_CURRENCY})(?![a-z])",
            # references that start with a year: 2025-0443, 2024/118
            r"(?<![\d.\-/+]\d)(?:(?<=1)9|(?<=2)0)\d{2}[-/]\d{3,5}(?![.\-/]?\d)",
            # a decimal standing alone: 0.05, 1,2
            r"(?<![\d.,]\d)\d{0,2}[.,]\d{1,3}(?![\d]|[.,]\d)",
        )
    )
    + ")"
)
# Two-digit numbers in a row, kept when they are all tooth numbers or a steady run.
# One spelling per separator, so a failed match is not retried every other way.
_LIST_SEPARATOR = r"(?:\s*[,/+&-]\s*|\s+)"
_LIST = re.compile(
    rf"\d(?<![\d+]\d)(?<!\d[\s.,/+&-]\d)\d?(?:{_LIST_SEPARATOR}\d{{1,2}})+"
    r"(?![\s.\-/]?\d)"
)

# Words before a candidate that say what its first number is.
_REFERENCE_WORDS = frozenset(
    (
        "case cases cas caso casos fall order commande pedido ordine auftrag bestellung lot lotto "
        "lote charge batch ref reference referencia riferimento referenz art artikel sku part item "
        "invoice facture factura fatura fattura rechnung ticket patient paciente paziente job rx "
        "serial sn dossier expediente pratica akte kit cat catalog catalogue p/n pn model modelo "
        "modello modell version versao versione build tracking sendung colis paquete pacote "
        # plurals and more languages: "dossiers 2024118345 et ...", "Aufträge ...", "pedidos ..."
        "dossiers orders commandes pedidos ordini ordine auftrage bestellungen encomenda encomendas "
        "casi invoices factures facturas rechnungen lots lotes refs "
        # catalogue items: "article 66-9794-37", "scan body 15-8339-39", "Ti-base 64260012"
        "article articles articulo articolo artigo body base analog analogue abutment gtin ean upc "
        "udi charge bodies codice code codigo codes"
    ).split()
)
# (read by `nlp.phones` too, Arabic script added: "case number starts with 2024, the rest is 0113",
# "رقم الطلب يبدأ بـ 2025" give an id in parts, not a phone number)
REFERENCE_WORDS = _REFERENCE_WORDS | frozenset("الطلب طلب الفاتورة فاتورة الحالة الملف".split())
# Tax and company registration numbers, written in groups: "SIRET 732 829 320 00074",
# "Steuernummer 12/345/67890", "NIF 501 964 843": the whole number, spaces included.
_TAX_ID_WORDS = frozenset(
    "steuernummer steuernr siret siren rcs cnpj cpf nif nie cif fiscale fiscal tax hrb hra handelsregister".split()
)
# A German compound of a reference and "Nummer": "Patientennummer", "Auftragsnr", "Fallnummer".
_GERMAN_NUMBER = re.compile(
    r"(?:patienten|kunden|fall|auftrags|bestell|rechnungs|artikel|chargen|referenz|sendungs)(?:nummer|nr)"
)
_NUMBER_WORDS = frozenset("no nr n° no° number numero nummer # id".split())  # "Paciente ID 88-2031"
_TOOTH_WORDS = frozenset(
    (
        "tooth teeth dent dents diente dientes dente dentes denti zahn zahne zahnen fdi universal "
        "unit units pontic pontics bridge bridges crown crowns implant implants"
    ).split()
)
_ON = frozenset("on sur en no na su auf".split())  # "crowns ON 14 15 16"
_CURRENCY_WORDS = frozenset("$ € £ usd eur euro euros dollar dollars gbp chf brl r$ reais".split())
_CONTEXT = 30  # characters read before a candidate
_AFTER = 15  # characters read after it, for units and currencies

_FIRST_CODE = re.compile(r"[0-9][0-9\-/.]*")  # 2024-0113
_SPACED_CODE = re.compile(r"[0-9](?:[0-9\-/.]|\s(?=\d))*")  # 732 829 320 00074
_FIRST_PRICE = re.compile(r"\d+(?:[.,\s]\d{3})*(?:[.,]\d{1,2})?")  # 1 250,00
_FIRST_TEETH = re.compile(rf"\d{{1,2}}(?:(?:{_LIST_SEPARATOR}|\s+(?:and|et|y|e|und)\s+)\d{{1,2}})*(?!\d)")
_WORD = re.compile(r"[a-z$€£#°/]+")
_GAP_WIDTH = 3
# A word's last character, then nothing but a short gap before the candidate: "case: ", "ref. ", "no. "
_GAP_AFTER_WORD = re.compile(rf"[a-z$€£#°/][\s.:-]{{0,{_GAP_WIDTH}}}\Z")

# FDI tooth numbers: permanent 11-48, deciduous 51-85.
_FDI = frozenset(f"{q}{t}" for q in "1234" for t in "12345678") | frozenset(f"{q}{t}" for q in "5678" for t in "12345")
_DIGITS = re.compile(r"\d+")
# (A prefix tree of the words, see `nlp.alternation`: each letter is read once.)
_PHONE_CUE = re.compile(
    word_alternation(
        "tel phone telephone telefono telefone telefon mobile mobil cell celular cellulare movil portable handy "
        "whatsapp zap number numero nummer".split()
    )
    + r"\W{0,3}$"
)


def dental_spans(text: str, candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of dental numbers (see module docstring) within or right after the candidates,
    and those the whole-message recogniser (`recognised_spans`) finds."""
    windows = _windows(text, candidates)
    spans = recognised_spans(text, windows)
    # Shapes are read once per stretch of text, then kept for the candidates they touch.
    shapes = [m.span() for low, high in windows for m in _SHAPES.finditer(text, low, high)]
    for start, end in candidates:
        lead = _leading_number(text, start)  # "serial number 44..." is no phone cue
        if lead:
            spans.append(lead)
        elif _PHONE_CUE.search(text, max(0, start - 20), start):
            continue
        spans += [(a, b) for a, b in shapes if start <= a < end + _AFTER]
        spans += [m.span() for m in _LIST.finditer(text, start, end) if _all_teeth(m.group())]
    return spans


_SHAPE_TAIL = 24  # characters read after a candidate for the unit or currency of its last number


def all_dental(text: str, candidates: list[tuple[int, int]]) -> bool:
    """True when `dental_spans` would cover every digit of the candidates: then no phone
    number can hide in them and the phone detector has nothing to read. Most messages with
    digits hold only tooth lists, dates, measurements and references, so the rules are
    tried cheapest first (tooth runs in one scan per stretch of text; then each
    candidate's own words and shapes; then codes, dates and ids) and stop when all is read."""
    windows = _windows(text, candidates)
    read = _Reading(text)
    read.cover(span for low, high in windows for span in _tooth_runs(text, low, high))
    uncovered = []
    for start, end in candidates:
        if read.covers(start, end):
            continue
        lead = _leading_number(text, start)
        if lead or not _PHONE_CUE.search(text, max(0, start - 20), start):
            read.cover([lead] if lead else ())
            # (tooth lists within the candidate cover nothing else: read them when still needed)
            if lead and read.covers(start, end):
                continue
            read.cover(m.span() for m in _LIST.finditer(text, start, end) if _all_teeth(m.group()))
            if read.covers(start, end):
                continue
            # A shape starting in the candidate ends with the unit or currency after it at most.
            tail = min(len(text), end + _SHAPE_TAIL)
            read.cover(m.span() for m in _SHAPES.finditer(text, start, tail) if m.start() < end)
            if read.covers(start, end):
                continue
        uncovered.append((start, end))
    if not uncovered:
        return True
    vat_words = bool(_VAT_HINT.search(text))
    for low, high in windows:
        if any(low <= start < high for start, _ in uncovered):
            read.cover(_codes_dates_and_ids(text, low, high, vat_words))
    return all(read.covers(start, end) for start, end in uncovered)


class _Reading:
    """Which characters of a text the dental rules have read: one byte a character, "0" for
    an ASCII digit not read yet, so whether a candidate still has one is one byte search."""

    def __init__(self, text: str) -> None:
        # (one byte for each character: "?" for any that is not ASCII)
        self.mask = bytearray(text.encode("ascii", "replace").translate(_DIGITS_AS_ZERO))

    def cover(self, spans) -> None:
        for start, end in spans:
            self.mask[start:end] = b"#" * (end - start)

    def covers(self, start: int, end: int) -> bool:
        return self.mask.find(b"0", start, end) < 0


_DIGITS_AS_ZERO = bytes.maketrans(b"123456789", b"000000000")


# A serial or customer number named a few words back: "n° de série du scanner : 1830 5547 2291",
# "Seriennummer vom Scanner 6620 1187 4431", "رقم السيريال بتاع السكانر 5512 ...". Only
# words between the cue and the number: a comma or a contact word ("serial 4411,
# call me on +33 ...") ends the naming, so a phone given after it is still read.
_SERIAL_NAMED = re.compile(
    r"(?<![a-z])(?:serial|serie|series|seriennummer|seriennr|s/n|sn|numero de serie|matricola|matricula|"
    r"سيريال|السيريال|سريال|السريال|تسلسلي|التسلسلي|"
    # a customer number or a Brazilian invoice key: "Kundennummer 100 447 812", "chave de acesso 3526 ..."
    r"kundennummer|kundennr|customer (?:no|nr|number|id)|client (?:no|number|id)|"
    r"numero (?:de |do |du )?client|codice cliente|chave de acesso|"
    # a reference or an article named before the part's name: "Réf. pilier 22.4105.06"
    r"ref\b|art\W{0,2}nr\b|"
    # a lot or batch named before the material's name: "Numéro de lot du bloc : 2024051133" (not "a lot")
    r"(?<!a )lot\b|lote\b|lotto\b|batch|chargennummer|chargennr|"
    # a parcel's tracking number and its carrier: "Tracking number DHL 1234567890", "suivi Colissimo 6A..."
    r"tracking|numero de suivi|suivi|seguimiento|rastreio|tracciamento|sendungsnummer|sendungsverfolgung)"
    # a model name may stand between: "du scanner Medit i700 :" (read "medit 1700" once normalised)
    r"(?:[^\W_]|[ :.#°'/-]){0,32}\Z"
)
# An order, case or invoice named in Arabic right before the number: "الطلب 9902-441-06".
# (A whole word: "اطلب 0101..." is Egyptian for "dial", a phone cue.)
_ARABIC_REFERENCE = re.compile(
    r"(?<![\u0600-\u06ff])(?:الطلب|طلب|طلبية|الطلبية|الاوردر|اوردر|الأوردر|أوردر|الكيس|كيس|الحالة|الفاتورة|فاتورة|الباتش|اللوت)"
    r"[ :#]{0,3}\Z"
)
# Words in the stretch between a serial cue and the number that hand out a contact instead.
_CONTACT_WORDS = re.compile(
    r"call|ring|text|phone|tel|whats|zap|appel|llam|ligar|liga|chiam|anruf|ruf|mobil|cell|portable|handy|"
    r"اتصل|كلم|رن|واتس|تلفون|موبايل"
)


# A piece of every word of each pattern: a text holding none is not searched before each of
# its candidates (both patterns open with a lookbehind, tried at every position).
_SERIAL_HINTS = (
    "seri",
    "s/n",
    "sn",
    "matric",
    "kunden",
    "customer",
    "client",
    "chave",
    "ref",
    "lot",
    "batch",
    "charge",
    "track",
    "suivi",
    "segui",
    "rastre",
    "tracc",
    "sendung",
    "nr",  # "art.-nr." ("art" stands in "part", "start")
    "سيريال",
    "سريال",
    "تسلسلي",
)
_ARABIC_REFERENCE_HINTS = ("طلب", "وردر", "كيس", "الحالة", "فاتورة", "الباتش", "اللوت")


@lru_cache(maxsize=8)
def _may_name_reference(text: str) -> tuple[bool, bool]:
    """Whether `text` holds a serial cue, and an Arabic order word, anywhere."""
    return (
        any(map(text.__contains__, _SERIAL_HINTS)),
        not text.isascii() and any(map(text.__contains__, _ARABIC_REFERENCE_HINTS)),
    )


def _named_serial(text: str, start: int) -> tuple[int, int] | None:
    """The spaced code a serial cue or an Arabic order word names (see `_SERIAL_NAMED`)."""
    serial, arabic = _may_name_reference(text)
    if not (serial or arabic):
        return None
    low = max(0, start - 48)
    named = (serial and _SERIAL_NAMED.search(text, low, start)) or (
        arabic and _ARABIC_REFERENCE.search(text, max(0, start - 16), start)
    )
    if not named or _CONTACT_WORDS.search(text, named.start(), start):
        return None
    match = _SPACED_CODE.match(text, start)
    return match.span() if match else None


def _leading_number(text: str, start: int) -> tuple[int, int] | None:
    """The candidate's first number when the words before it name it: "Case 2024-0113"."""
    low = max(0, start - _CONTEXT)
    named = _named_serial(text, start)
    if named:
        return named
    if text[start - 1 : start] in ("#", "-", "_") and text[start - 2 : start - 1].isalpha():
        match = _FIRST_CODE.match(text, start)  # LAB-88213, #2024-0113
        return match.span() if match else None
    # Most candidates follow no word, or a word and more than a gap: one short search says so.
    if not _GAP_AFTER_WORD.search(text, max(low, start - _GAP_WIDTH - 1), start):
        return None
    before = _WORD.findall(text, low, start)
    if before[-1] in _TAX_ID_WORDS or (before[-1] in _NUMBER_WORDS and len(before) > 1 and before[-2] in _TAX_ID_WORDS):
        pattern = _SPACED_CODE
    elif (
        before[-1] in _REFERENCE_WORDS
        or (before[-1] in _NUMBER_WORDS and len(before) > 1 and before[-2] in _REFERENCE_WORDS)
        or _GERMAN_NUMBER.fullmatch(before[-1])
    ):
        # "Ref 61 23 45 67 89", "pedido 2024 0612 3344": the groups that follow belong to it
        match = _SPACED_CODE.match(text, start)
        return match.span() if match else None
    elif before[-1] in _CURRENCY_WORDS or text[start - 1 : start] in ("$", "€", "£"):
        pattern = _FIRST_PRICE
    elif before[-1] in _TOOTH_WORDS or (before[-1] in _ON and len(before) > 1 and before[-2] in _TOOTH_WORDS):
        pattern = _FIRST_TEETH
    else:
        return None
    match = pattern.match(text, start)
    return match.span() if match else None


def _all_teeth(group: str) -> bool:
    """Two-digit numbers that are all FDI tooth numbers, or a steady run ("2, 3, 4, 5, 6")."""
    numbers = _DIGITS.findall(group)
    if _FDI.issuperset(numbers):
        return True
    values = [int(n) for n in numbers]
    steps = {b - a for a, b in zip(values, values[1:])}
    return steps in ({1}, {-1})


# --- whole-message recogniser -------------------------------------------------------------
# Phone candidates are cut at nineteen digits, so a list of teeth or ids longer than that is
# read as several candidates, the later ones without the words that named the list. These
# rules read the whole message instead and veto what they recognise, wherever it stands.

_REACH = 60  # characters read around a candidate
_JOINER = r"(?:\s*[,;/+&]\s*|\s+(?:and|et|y|e|und|i|ou|o)\s+|\s*-\s*|\s+)"
# Runs of one- and two-digit numbers: tooth lists in FDI or Universal notation.
# A run touching more digits ("123 4 5 6 7") is part of something else.
# (A first digit, then the lookbehinds reach back over it: see `nlp.phones._CANDIDATE`.)
_TOOTH_RUN = re.compile(
    rf"\d(?<![\d.,+]\d)(?<!\d[\s.,/+&-]\d)\d?(?:{_JOINER}\d{{1,2}}){{2,}}"
    r"(?![\s.\-/]?\d|[.,]\d)"
)
# GS1 element strings with application identifiers: "(01)04012345678901(17)260331(10)A12".
_GS1 = re.compile(r"(?:\(\d{2,4}\)[0-9a-z\-./]+){2,}|\(01\)\d{14}")
# (A first digit, then the lookbehind before it: see `nlp.phones._CANDIDATE`.)
_GTIN = re.compile(r"\d(?<![\d+]\d)(?:\d{13}|\d{12}|\d{11}|\d{7})(?!\d)")
_GTIN_CUE = re.compile(r"(?:gtin|ean|upc|udi|ref|barcode|code)\W{0,4}$")
# Dates with spaces or dots: "06 12 2024", "2024 12 06".
_SPACED_DATE = re.compile(
    r"(?=\d)(?<![\d+])(?:(\d{1,2})[ .](\d{1,2})[ .](?:19|20)\d{2}"
    r"|(?:19|20)\d{2}[ .](\d{1,2})[ .](\d{1,2}))(?![\d])"
)
# Several solid ids in a row: "cases 2024118345, 2024118346 and 5512093847".
_ID_LIST = re.compile(
    r"\d(?<![\w+]\d)\d{5,}(?:(?:\s*[,;/&]\s*|\s+(?:and|et|y|e|und|i|w)\s+)"
    r"\d{6,})+(?!\w)"
)
# VAT numbers: a VAT word before, or a country prefix whose check digits hold.
_VAT_CUE = re.compile(
    r"(?:vat|tva|iva|ust|ust-?idnr|uid|btw|mwst|nif|cif|p\.?\s?iva|"
    r"partita iva|vat no|tax id)\W{0,6}(?:(?:is|est|es|ist|e|no|nr|number|numero|nummer)\W{1,4})?(?:[a-z]{2}\W{0,2})?"
    r"(\d[\d \-.]{6,14}\d)"
)
_VAT_HINT = re.compile(r"vat|tva|iva|ust|uid|btw|mwst|nif|cif|tax id")
# (The country's first letter comes before the lookbehind: the regex engine skips to it.)
_VAT_PREFIXED = re.compile(
    r"(f(?<![a-z].)r|d(?<![a-z].)e|i(?<![a-z].)t)[ ]?([0-9a-z]{2}[ ]?(?:\d[ ]?){9}|(?:\d[ ]?){9,11})"
    r"(?![\d])"
)


def recognised_spans(text: str, windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Tooth runs, GS1/UDI strings, GTINs, spaced dates, id lists and VAT numbers in the
    windows (see `_windows`), except right after a phone cue ("tel 06 12 2024 ...")."""
    spans = []
    vat_words = bool(_VAT_HINT.search(text))
    for low, high in windows:
        spans += _recognised_in(text, low, high, vat_words)
    return spans


def _windows(text: str, candidates: list[tuple[int, int]], reach: int = _REACH) -> list[tuple[int, int]]:
    """The stretches of text around the candidates, overlapping ones merged: a list of teeth
    or ids reaches at most this far beyond the candidate it contains."""
    windows: list[list[int]] = []
    for start, end in candidates:
        low, high = max(0, start - reach), min(len(text), end + reach)
        if windows and low <= windows[-1][1]:
            windows[-1][1] = high
        else:
            windows.append([low, high])
    return [(low, high) for low, high in windows]


def _recognised_in(text: str, low: int, high: int, vat_words: bool) -> list[tuple[int, int]]:
    return _tooth_runs(text, low, high) + _codes_dates_and_ids(text, low, high, vat_words)


# (`all_dental` and then `dental_spans` read the same windows of a message where a phone
# number may hide: the last few readings are remembered. The lists are never changed.)
@lru_cache(maxsize=8)
def _tooth_runs(text: str, low: int, high: int) -> list[tuple[int, int]]:
    return [
        match.span()
        for match in _TOOTH_RUN.finditer(text, low, high)
        if _all_teeth(match.group()) and not _after_phone_cue(text, match.start())
    ]


@lru_cache(maxsize=8)
def _codes_dates_and_ids(text: str, low: int, high: int, vat_words: bool) -> list[tuple[int, int]]:
    spans = []
    bracket = text.find("(", low, high)  # where a GS1 string may start first
    if bracket >= 0:
        spans += [m.span() for m in _GS1.finditer(text, bracket, high)]
    # A GTIN, an id list and a spaced date each open with a run of digits starting in the
    # window (8, 6 and 4 digits long at least, a year's starting "19" or "20"): the text's
    # runs, read once, tell which of the three patterns may match in a window.
    six, eight, years = _long_runs(text)
    if any(low <= start < high for start in eight):
        for match in _GTIN.finditer(text, low, high):
            digits = match.group()
            cued = _GTIN_CUE.search(text, max(0, match.start() - 12), match.start())
            if gtin_valid(digits) and (len(digits) == 14 or cued):
                spans.append(match.span())
    if any(low <= start < high for start in years):
        for match in _SPACED_DATE.finditer(text, low, high):
            first, second = (int(g) for g in match.groups() if g is not None)
            if 1 <= min(first, second) <= 12 and max(first, second) <= 31 and not _after_phone_cue(text, match.start()):
                spans.append(match.span())
    if any(low <= start < high for start in six):
        for match in _ID_LIST.finditer(text, low, high):
            if not _after_phone_cue(text, match.start()):
                spans.append(match.span())
    if vat_words:
        spans += [m.span(1) for m in _VAT_CUE.finditer(text, max(0, low - 20), high)]
    for match in _VAT_PREFIXED.finditer(text, max(0, low - 4), high):
        if vat_valid(match.group(1), match.group(2).replace(" ", "")):
            spans.append(match.span(2))
    return spans


_DIGIT_RUN = re.compile(r"\d+")


@lru_cache(maxsize=8)
def _long_runs(text: str) -> tuple[list[int], list[int], list[int]]:
    """Where the runs of six digits or more, of eight or more, and of four or more opening
    with "19" or "20" start."""
    runs = [m.span() for m in _DIGIT_RUN.finditer(text)]
    return (
        [start for start, end in runs if end - start >= 6],
        [start for start, end in runs if end - start >= 8],
        [start for start, end in runs if end - start >= 4 and text.startswith(("19", "20"), start)],
    )


def _after_phone_cue(text: str, start: int) -> bool:
    return bool(_PHONE_CUE.search(text, max(0, start - 20), start))


def gtin_valid(digits: str) -> bool:
    """GS1 mod-10 check digit (GTIN-8/12/13/14)."""
    body, check = digits[:-1], int(digits[-1])
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return (10 - total % 10) % 10 == check


def vat_valid(country: str, number: str) -> bool:
    """Check digits of French, German and Italian VAT numbers."""
    if country == "fr" and len(number) == 11 and number[2:].isdigit():
        return not number[:2].isdigit() or int(number[:2]) == (12 + 3 * (int(number[2:]) % 97)) % 97
    if country == "de" and len(number) == 9 and number.isdigit():
        product = 10
        for d in number[:8]:
            product = (2 * ((int(d) + product) % 10 or 10)) % 11
        return (11 - product) % 10 == int(number[8])
    if country == "it" and len(number) == 11 and number.isdigit():
        total = sum(
            int(d) if i % 2 == 0 else (int(d) * 2 if int(d) < 5 else int(d) * 2 - 9) for i, d in enumerate(number[:10])
        )
        return (10 - total % 10) % 10 == int(number[10])
    return False
