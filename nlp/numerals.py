"""Spelled-out numbers in English, French, Spanish, Portuguese, Italian and German.

"zero six douze trente-quatre", "seis uno dos ...", "null eins fünf ...": a phone number
written in words. `numeral_edits` finds runs of number words (mixed with digit groups or
not) long enough to be a phone number and replaces each word by its digits, so the phone
detector sees "0 6 12 34 ...". Short runs ("two crowns", "tres coronas") are left alone.

Words are matched on folded text (lower case, no accents, "ß" as "ss"), so the lexicons
below are written that way. Compound numbers are looked up whole ("quatre vingt dix neuf",
"vierunddreissig", "trentaquattro"), longest first.
"""

from __future__ import annotations

import re
from itertools import product
from operator import and_, or_

from nlp.alternation import word_alternation

_MIN_DIGITS = 7  # shortest run worth reading as a phone number
_MAX_WORDS = 4  # longest compound: "quatre vingt dix neuf"


def _english() -> dict[str, int]:
    units = "zero one two three four five six seven eight nine".split()
    teens = ("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen").split()
    tens = {
        20: ["twenty"],
        30: ["thirty"],
        40: ["forty", "fourty"],
        50: ["fifty"],
        60: ["sixty"],
        70: ["seventy"],
        80: ["eighty"],
        90: ["ninety"],
    }
    words = {w: n for n, w in enumerate(units + teens)} | {"oh": 0, "nought": 0}
    words |= _tens_and_units(tens, units[1:], ("",))
    return words


def _french() -> dict[str, int]:
    units = "zero un deux trois quatre cinq six sept huit neuf".split()
    words = {w: n for n, w in enumerate(units)} | {"une": 1}
    words |= dict(zip("dix onze douze treize quatorze quinze seize".split(), range(10, 17)))
    words |= {"dix sept": 17, "dix huit": 18, "dix neuf": 19}
    tens = {
        20: ["vingt"],
        30: ["trente"],
        40: ["quarante"],
        50: ["cinquante"],
        60: ["soixante"],
        70: ["septante"],
        80: ["huitante", "octante"],
        90: ["nonante"],
    }
    words |= _tens_and_units(tens, units[1:], ("", "et"))
    teens = {n: w for w, n in words.items() if 10 <= n <= 19}
    for base, value in (("soixante", 60), ("quatre vingt", 80)):
        for n, w in teens.items():
            words[f"{base} {w}"] = value + n
        words[f"{base} et onze"] = value + 11
    words |= {"quatre vingts": 80, "quatre vingt": 80}
    words |= {f"quatre vingt {u}": 80 + n for n, u in enumerate(units) if n}
    return words


def _spanish() -> dict[str, int]:
    units = "cero uno dos tres cuatro cinco seis siete ocho nueve".split()
    words = {w: n for n, w in enumerate(units)} | {"un": 1, "una": 1}
    words |= dict(
        zip(("diez once doce trece catorce quince dieciseis diecisiete dieciocho diecinueve").split(), range(10, 20))
    )
    words |= {f"veinti{u}": 20 + n for n, u in enumerate(units) if n} | {"veintiun": 21}
    tens = {
        20: ["veinte"],
        30: ["treinta"],
        40: ["cuarenta"],
        50: ["cincuenta"],
        60: ["sesenta"],
        70: ["setenta"],
        80: ["ochenta"],
        90: ["noventa"],
    }
    words |= _tens_and_units(tens, units[1:], ("y",))
    return words


def _portuguese() -> dict[str, int]:
    units = "zero um dois tres quatro cinco seis sete oito nove".split()
    words = {w: n for n, w in enumerate(units)} | {"uma": 1, "duas": 2, "meia": 6}
    words |= dict(zip("dez onze doze treze catorze quinze".split(), range(10, 16)))
    words |= {
        "quatorze": 14,
        "dezasseis": 16,
        "dezesseis": 16,
        "dezassete": 17,
        "dezessete": 17,
        "dezoito": 18,
        "dezanove": 19,
        "dezenove": 19,
    }
    tens = {
        20: ["vinte"],
        30: ["trinta"],
        40: ["quarenta"],
        50: ["cinquenta", "cincoenta"],
        60: ["sessenta"],
        70: ["setenta"],
        80: ["oitenta"],
        90: ["noventa"],
    }
    words |= _tens_and_units(tens, units[1:], ("e",))
    return words


def _italian() -> dict[str, int]:
    units = "zero uno due tre quattro cinque sei sette otto nove".split()
    words = {w: n for n, w in enumerate(units)} | {"una": 1}
    words |= dict(
        zip(
            ("dieci undici dodici tredici quattordici quindici sedici diciassette diciotto diciannove").split(),
            range(10, 20),
        )
    )
    tens = {
        20: "venti",
        30: "trenta",
        40: "quaranta",
        50: "cinquanta",
        60: "sessanta",
        70: "settanta",
        80: "ottanta",
        90: "novanta",
    }
    for value, ten in tens.items():
        words[ten] = value
        for n, unit in enumerate(units[1:], start=1):
            stem = ten[:-1] if unit[0] in "uo" else ten  # ventuno, ventotto
            words[stem + unit] = words[f"{ten} {unit}"] = value + n
    return words


def _german() -> dict[str, int]:
    units = "null eins zwei drei vier funf sechs sieben acht neun".split()
    words = {w: n for n, w in enumerate(units)} | {"zwo": 2, "fuenf": 5, "ein": 1}
    words |= dict(
        zip("zehn elf zwolf dreizehn vierzehn funfzehn sechzehn siebzehn achtzehn neunzehn".split(), range(10, 20))
    )
    words |= {"zwoelf": 12, "fuenfzehn": 15}
    tens = {
        20: ["zwanzig"],
        30: ["dreissig"],
        40: ["vierzig"],
        50: ["funfzig", "fuenfzig"],
        60: ["sechzig"],
        70: ["siebzig"],
        80: ["achtzig"],
        90: ["neunzig"],
    }
    stems = {
        1: ["ein"],
        2: ["zwei"],
        3: ["drei"],
        4: ["vier"],
        5: ["funf", "fuenf"],
        6: ["sechs"],
        7: ["sieben"],
        8: ["acht"],
        9: ["neun"],
    }
    for (value, tens_words), (n, stem_words) in product(tens.items(), stems.items()):
        for ten in tens_words:
            words[ten] = value
            for stem in stem_words:
                words[f"{stem}und{ten}"] = words[f"{stem} und {ten}"] = value + n
    return words


def _darija() -> dict[str, int]:
    """Moroccan Arabic written in Latin letters and digits (Arabizi): "sifr sitta wa7ed"."""
    spellings = {
        0: "sifr sfer sefr",
        1: "wa7ed wa7d wahed wahd wa7id",
        2: "jouj zouj joj zoj tnin tnayn jooj",
        3: "tlata tleta tlatha tlat",
        4: "reb3a rb3a rab3a arba3a arb3a arba3",
        5: "khamsa khmsa 5amsa khamssa",
        6: "sitta setta sita stta sta",
        7: "seb3a sb3a sab3a seba",
        8: "tmanya tmnya tmenya tamanya thmanya",
        9: "tes3a ts3a tis3a tes3oud",
        10: "3ashra 3achra ashra",
        11: "hdach 7dach",
        12: "tnach tna3ch tnash",
    }
    # and in Arabic script, folded (no hamza): "صفر ستة اربعة"
    spellings |= {
        0: spellings[0] + " صفر",
        1: spellings[1] + " واحد",
        2: spellings[2] + " اثنين اتنين جوج زوج",
        3: spellings[3] + " ثلاثة تلاتة ثلاثه تلاته",
        4: spellings[4] + " اربعة اربعه ربعة",
        5: spellings[5] + " خمسة خمسه",
        6: spellings[6] + " ستة سته",
        7: spellings[7] + " سبعة سبعه",
        8: spellings[8] + " ثمانية تمانية تمنية ثمانيه",
        9: spellings[9] + " تسعة تسعه تسعود",
    }
    words = {word: n for n, words in spellings.items() for word in words.split()}
    # "arb3a w tlatin": the unit, "w" (and), then the tens, as Arabic says them
    tens = {
        20: "3ichrin 3ishrin",
        30: "tlatin tletin",
        40: "arb3in reb3in",
        50: "khamsin",
        60: "sittin settin",
        70: "sab3in seb3in",
        80: "tmanin tmenin",
        90: "tes3in ts3in",
    }
    units = {n: spellings[n].split() for n in range(1, 10)}
    for value, tens_words in tens.items():
        for ten in tens_words.split():
            words[ten] = value
            for n, unit_words in units.items():
                for unit in unit_words:
                    words[f"{unit} w {ten}"] = words[f"{unit} wa {ten}"] = value + n
    return words


def _tens_and_units(tens: dict[int, list[str]], units: list[str], joiners: tuple[str, ...]) -> dict[str, int]:
    """ "twenty one", "treinta y uno", "vinte e um": tens, optional joiner word, unit."""
    words = {}
    for value, tens_words in tens.items():
        for ten in tens_words:
            words[ten] = value
            for n, unit in enumerate(units, start=1):
                for joiner in joiners:
                    words[" ".join(filter(None, (ten, joiner, unit)))] = value + n
    return words


def _lexicon() -> dict[str, str]:
    """Every spelled number of the six languages, mapped to its digits."""
    numbers: dict[str, str] = {}
    for build in (_english, _french, _spanish, _portuguese, _italian, _german, _darija):
        for words, value in build().items():
            numbers.setdefault(words, str(value))
    for unit, digit in _english().items():
        if digit < 10:
            numbers[f"double {unit}"] = str(digit) * 2
            numbers[f"triple {unit}"] = str(digit) * 3
    return numbers


NUMBERS = _lexicon()
_FIRST_WORDS = frozenset(words.split()[0] for words in NUMBERS)


# A first word standing as a token of its own (see `_TOKEN`): not after a letter, not
# before a letter or digit. Finding none is cheaper than tokenising the whole text. It is
# looked for after each character that is no letter (which the regex engine skips to), and
# at the start of the text.
_FIRST_WORD_AHEAD = rf"(?={word_alternation(_FIRST_WORDS)}(?![a-z0-9]))"
_FIRST_WORD_AT_START = re.compile(_FIRST_WORD_AHEAD)
_FIRST_WORD_AFTER = re.compile(rf"[^a-z]{_FIRST_WORD_AHEAD}")
# In an ASCII text (most are, once folded) such a word's first run of letters ("wa" of
# "wa7d", "ashra" of "3ashra") stands as a run of letters of its own: once every other
# character is a space, one translation and a split tell it cheaper than the regex. (A text
# holding the run without the word reads no number word further on either.)
# (As bytes: a byte table translates several times faster than a str one.)
_FIRST_LETTERS = frozenset(re.search("[a-z]+", word).group().encode() for word in _FIRST_WORDS if word.isascii())
_LETTERS_ONLY = bytes(c if ord("a") <= c <= ord("z") else ord(" ") for c in range(256))

# Arabizi words carry digits for Arabic letters ("wa7ed", "reb3a"): a word may hold digits
# after its first letter. (Its letters are read once: the digits are an optional tail.)
_TOKEN = re.compile(r"[a-z]+(?:[0-9][a-z0-9]*)?|[\u0621-\u064a]+|\d+")  # and Arabic words
_INSIDE_NUMBER = re.compile(r"[ \t'-]{1,2}")  # "trente-quatre", "vingt et un"
_BETWEEN_NUMBERS = re.compile(r"[\s.,/()_*|~+-]{0,4}")  # "six, douze / 34"


def numeral_edits(text: str) -> list[tuple[int, int, str]]:
    """Edits replacing number words by digits, in runs that make at least seven digits."""
    if not _may_hold_a_first_word(text):
        return []
    words = _TOKEN.findall(text)
    if _FIRST_WORDS.isdisjoint(words) or not _may_spell_a_number(words):
        return []
    tokens = list(_TOKEN.finditer(text))
    edits: list[tuple[int, int, str]] = []
    run: list[tuple[int, int, str, bool]] = []  # start, end, digits, spelled out
    # Only digits and the first words of numbers start a number: those tokens alone are read,
    # and any other token between two of them ends the run.
    unread = 0  # the first token not read yet
    for i in _spelled_stretches(
        words, [i for i, word in enumerate(words) if word in _FIRST_WORDS or word[0].isdigit()]
    ):
        if i < unread:  # read with the words before it: "quatre vingt DIX"
            continue
        number, after = _number_at(tokens, i, text)
        if run and (i > unread or number is None or not _BETWEEN_NUMBERS.fullmatch(text, run[-1][1], number[0])):
            _close_run(run, edits)
        if number is not None:
            run.append(number)
        unread = after
    _close_run(run, edits)
    return edits


def _may_hold_a_first_word(text: str) -> bool:
    if text.isascii():
        return not _FIRST_LETTERS.isdisjoint(text.encode().translate(_LETTERS_ONLY).split())
    return bool(_FIRST_WORD_AT_START.match(text) or _FIRST_WORD_AFTER.search(text))


def _spelled_stretches(words: list[str], starts: list[int]) -> list[int]:
    """The `starts` (tokens that may start a number) in stretches of such tokens side by side
    that hold a number word, or that follow one closely enough for its last number to read
    the tokens between ("quatre vingts 715"): any other stretch holds digits alone, which
    spell nothing, and the token before it ended the run."""
    stretches: list[list[int]] = []
    for i in starts:
        if stretches and i == stretches[-1][-1] + 1:
            stretches[-1].append(i)
        else:
            stretches.append([i])
    kept: list[int] = []
    last_word = None  # the last token of the last stretch with a number word
    for stretch in stretches:
        if not all(words[i][0].isdigit() for i in stretch):
            kept += stretch
            last_word = stretch[-1]
        elif last_word is not None and stretch[0] - last_word <= _MAX_WORDS:
            kept += stretch
    return kept


def _may_spell_a_number(tokens: list[str]) -> bool:
    """Quick test: a number word next to another number word or to digits."""
    words = list(map(_FIRST_WORDS.__contains__, tokens))
    if not any(words):
        return False
    numeric = list(map(or_, words, map(str.isdigit, tokens)))
    return any(map(and_, words, numeric[1:])) or any(map(and_, numeric, words[1:]))


def _number_at(tokens: list[re.Match], i: int, text: str):
    """The number starting at token i (digits or the longest number words) and the next index."""
    token = tokens[i].group()
    if token[0].isdigit():
        return (tokens[i].start(), tokens[i].end(), token, False), i + 1
    if token not in _FIRST_WORDS:
        return None, i + 1
    words = [token]
    for j in range(i + 1, min(i + _MAX_WORDS, len(tokens))):
        follower = tokens[j].group()
        if follower[0].isdigit() or not _INSIDE_NUMBER.fullmatch(text, tokens[j - 1].end(), tokens[j].start()):
            break
        words.append(follower)
    for size in range(len(words), 0, -1):
        digits = NUMBERS.get(" ".join(words[:size]))
        if digits is not None:
            return (tokens[i].start(), tokens[i + size - 1].end(), digits, True), i + size
    return None, i + 1


def _close_run(run: list[tuple[int, int, str, bool]], edits: list) -> None:
    if any(spelled for *_, spelled in run) and sum(len(d) for _, _, d, _ in run) >= _MIN_DIGITS:
        edits.extend((start, end, digits) for start, end, digits, spelled in run if spelled)
    run.clear()
