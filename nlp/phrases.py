"""spaCy phrase matching: brand names and the cue phrases of the six languages.

Apps, networks and payment services ("insta", "PayPal", "Line") and every cue phrase of
`nlp.lexicon` ("add me on", "écris-moi", "pay me", "your number", "outside the platform")
go into one spaCy `PhraseMatcher`, built at import on `spacy.blank("xx")`: a tokenizer
only, no model, nothing to download. The cues of all six languages are loaded in it,
because people switch language mid-thread ("merci, add me on insta"). `tagger()(passage)`
returns the tokenised passage and the phrases found in it; `nlp.intents` decides what they
mean.

Most sentences name no app, payment service or way around the platform, and every rule
works within one sentence; so only the sentences that may hold a request are tokenised (see
`passages`): every word of a phrase that can start one must be there, and for the phrases
that make a request only with company (a name that is also a word, "line"; "directly"; a
fee to avoid) the words or signs of that company too. Cheap set tests decide it.

One token pattern (a spaCy `Matcher`) finds ways around the platform's cut that a phrase
list cannot enumerate: "avoid the 9% fee", "nos ahorramos la comisión", "évite les frais de
la plateforme", but not "avoid the rush fee" nor "éviter les frais d'urgence".

spaCy keeps every word it has seen in its vocabulary. A tagger that has learnt
`_VOCABULARY_LIMIT` new words (handles, typos, numbers) is replaced by a fresh one, which
takes a tenth of a second once the language data is loaded: memory stays bounded in a
long-running process, without the cost of forgetting every word after each message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields
from functools import lru_cache

import spacy
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc

from nlp.alternation import word_alternation
from nlp.lexicon import (
    APP_ID_WORDS,
    CANCEL_WORDS,
    CUES,
    GROUP_WORDS,
    HANDOVER_WORDS,
    JOIN_WORDS,
    NUMBER_WORDS,
    OR_WORDS,
    PREFERRED,
    SAME_WORDS,
)
from nlp.lexicon.brands import APPS, PAYMENT_METHODS, Brand
from nlp.lexicon.cues import Cues
from nlp.normalise import fold

APP = "app"
METHOD = "method"
BYPASS = "bypass"
_FEE_WORDS = ("avoid", "fees", "other_fees")  # cue fields used by the fee pattern only
CUE_LABELS = tuple(f.name for f in fields(Cues) if f.name not in _FEE_WORDS)
_FEE_GAP = 3  # words allowed between "avoid" and "fee"
# Cue labels that make a request on their own; the others only qualify a name or one of these.
_REQUEST_LABELS = ("off_platform", BYPASS, "their_details", "call_me", "cheaper")
_WORD = re.compile(r"[a-z0-9\u0620-\u064a]+")  # Latin after folding, and Arabic letters
# Words are the runs of `_WORD`: in an ASCII text, what stands between spaces once every other
# character is a space (one translation and a split cost less than the regex).
_NOT_WORD = str.maketrans({chr(c): " " for c in range(128) if not _WORD.fullmatch(chr(c))})
_ELISION = re.compile(r"^[a-z]{1,2}'")  # "d'urgence": the tokenizer keeps elisions on
# (a run of [.!?;] or the Arabic question mark before a space, or a line break; written to start
# with the one class of characters either starts with, which the regex engine skips to)
_SENTENCE_END = re.compile(r"[.!?;\u061f\n](?:(?<=\n)|[.!?;\u061f]*(?=\s))")
_ME = frozenset(("me", "moi"))  # "whatsapp me", "whatsapp moi"
# "whatsapp me", "insta dyali" (my, after the name), "ho Viber, stesso nome", "même pseudo sur
# Pinterest" (and below: "join our WhatsApp group", a word for joining and one for the group)
_ME_OR_SAME = _ME | frozenset("dyali diali ديالي".split()) | SAME_WORDS
# WhatsApp made a Spanish verb with "me" glued on: "guasapéame", "wasapéame"
_GLUED_ME = frozenset(f for b in APPS for f in b.forms if f.endswith("apeame"))
_ME_OR_COURTESY = _ME | frozenset("stp svp please pls plz bitte porfa".split())  # "lydia stp"
_ACCEPTING = frozenset("works passt va sirve serve".split())  # "Wise works for me", "Wise passt"
# An app's id word, "same number", "better" or "or" after a name: "Signal, username lina.42",
# "Viber, same number", "zapzap é melhor", "Telegram or Viber" (`nlp.intent_apps` decides).
_APP_WORDS = APP_ID_WORDS | NUMBER_WORDS | PREFERRED | OR_WORDS
_VOCABULARY_LIMIT = 100_000  # new words a tagger may learn, about 50 MB
_PHRASES_REMEMBERED = 65536  # matched phrases kept built (a few MB)
_SENTENCES_REMEMBERED = 4096  # sentences whose gate answer is kept (a few hundred kB)
# Words too common to tell whether a phrase may be present ("YOUR number", "TON tel").
_COMMON = frozenset(
    "a an the my me no on in to of by what your ton ta votre tu su seu teu tuo "
    "il la le de der die del da do mon mi meu mein sur en por per unter s".split()
)


@dataclass(frozen=True, slots=True)
class Phrase:
    """A matched phrase: tokens `doc[start:end]`, its label and, for names, the brand."""

    label: str
    start: int
    end: int
    brand: Brand | None = None
    ambiguous: bool = False


class PhraseTagger:
    """A blank spaCy tokenizer and a phrase matcher holding every brand and cue."""

    def __init__(self, lang: str) -> None:
        self.nlp = spacy.blank(lang)
        self.matcher = PhraseMatcher(self.nlp.vocab)
        self.meanings: dict[int, tuple[str, Brand | None, bool]] = {}
        for label, brands in ((APP, APPS), (METHOD, PAYMENT_METHODS)):
            for brand in brands:
                self._add(label, brand.forms, brand, ambiguous=False)
                self._add(label, brand.ambiguous, brand, ambiguous=True)
        for label in CUE_LABELS:
            self._add(label, _all_languages(label))
        self.fee_matcher = Matcher(self.nlp.vocab)
        self.fee_matcher.add(BYPASS, [_fee_pattern()], greedy="LONGEST")
        self.avoid_words = frozenset(fold(w).text for w in _all_languages("avoid"))
        self.other_fees = frozenset(fold(w).text for w in _all_languages("other_fees"))
        self.gate = _Gate()
        # A phrase is immutable and the same ones come back (a name at the start of a sentence):
        # each is built once, not once per match (a frozen dataclass costs a microsecond).
        self.known_phrases: dict[tuple[int, int, int], Phrase] = {}
        self.vocabulary_limit = len(self.nlp.vocab.strings) + _VOCABULARY_LIMIT

    def passages(self, text: str) -> list[tuple[int, int]]:
        """Spans of the sentences of `text` that may hold a request (see `_Gate`)."""
        # (a text with no trigger word has no sentence with one; for the others the sentences
        # are read, each remembered: the whole text's company would be read in vain)
        if not self.gate.has_trigger(text, _spaced_words(text)):
            return []
        spans, start = [], 0
        for end in [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
            while start < end and text[start].isspace():
                start += 1
            if start < end and self.gate.sentence_may_request(text[start:end]):
                spans.append((start, end))
            start = end
        return spans

    def is_full(self) -> bool:
        """True once the tagger has learnt `_VOCABULARY_LIMIT` new words."""
        return len(self.nlp.vocab.strings) > self.vocabulary_limit

    def __call__(self, text: str) -> tuple[Doc, list[Phrase]]:
        """The tokenised passage and the phrases found in it."""
        doc = self.nlp.make_doc(text)
        phrases = []
        known = self.known_phrases
        for match in self.matcher(doc):
            phrase = known.get(match)
            if phrase is None:
                if len(known) >= _PHRASES_REMEMBERED:
                    known.clear()
                match_id, start, end = match
                label, brand, ambiguous = self.meanings[match_id]
                phrase = known[match] = Phrase(label, start, end, brand, ambiguous)
            phrases.append(phrase)
        spaced = _spaced_words(text)
        if not self.avoid_words.isdisjoint(spaced.split() if spaced is not None else _WORD.findall(text)):
            phrases += [
                Phrase(BYPASS, start, end)
                for _, start, end in self.fee_matcher(doc)
                if not self.other_fees.intersection(_ELISION.sub("", t.text) for t in doc[end : end + 2])
            ]
        return doc, phrases

    def _add(self, label: str, phrases, brand: Brand | None = None, ambiguous: bool = False) -> None:
        if not phrases:
            return
        key = f"{label}|{brand.name if brand else ''}|{ambiguous}"
        self.meanings[self.nlp.vocab.strings.add(key)] = (label, brand, ambiguous)
        variants = {v for phrase in phrases for v in _variants(fold(phrase).text)}
        if brand:  # a name split in two is also hyphenated: "tele-gram", "whats-app"
            variants |= {v.replace(" ", "-") for v in variants if " " in v}
        self.matcher.add(key, [self.nlp.make_doc(v) for v in sorted(variants)])


def _spaced_words(text: str) -> str | None:
    """`text` with every character but those of words a space, if `text` is ASCII."""
    return text.translate(_NOT_WORD) if text.isascii() else None


def _all_languages(label: str) -> list[str]:
    return [phrase for cues in CUES.values() for phrase in getattr(cues, label)]


def _fee_pattern() -> list[dict]:
    """ "avoid" + up to three words that are no other kind of fee + "fee"."""
    avoid, fees, other_fees = ([fold(w).text for w in _all_languages(label)] for label in _FEE_WORDS)
    stop = fees + other_fees + [".", "!", "?", ";", "\n"]
    return [{"ORTH": {"IN": avoid}}, {"ORTH": {"NOT_IN": stop}, "OP": f"{{,{_FEE_GAP}}}"}, {"ORTH": {"IN": fees}}]


def _variants(phrase: str) -> set[str]:
    """ "écris-moi" is also written "ecris moi"; "t'as" also "t as" and "tas"."""
    variants = {phrase}
    for mark in "-'":
        if mark in phrase:
            variants |= {phrase.replace(mark, " "), phrase.replace(mark, "")}
    return variants


class _Gate:
    """Whether a sentence may hold a request, from the set of its words: the words of every
    phrase the rules of `nlp.intents` need must all be in it, or the rules find nothing.

    Each phrase that can start a request is filed under one of its words (its `trigger`)
    with the company it needs: names that are also words ("line", "x", "wise") need a
    contact or asking cue, a handle or a number; "directly", "outside the site" need a
    contact, payment, call or asking cue; "avoid" needs a fee word.
    """

    def __init__(self) -> None:
        self.cues = {label: _index(_all_languages(label)) for label in _COMPANY_LABELS}
        self.fee_words = frozenset(w for fee in _all_languages("fees") for w in _WORD.findall(fold(fee).text))
        needs: dict[str, list[tuple[frozenset[str], str]]] = {}
        for brand in APPS + PAYMENT_METHODS:
            is_app = brand in APPS
            _file(needs, brand.forms, "app" if is_app else "method" if brand.needs_cue else "")
            _file(needs, brand.ambiguous, "name" if is_app else "method")
        for label in _REQUEST_LABELS:
            _file(needs, _all_languages(label), "cue" if label == "off_platform" else "")
        _file(needs, _all_languages("avoid"), "fee")
        self.needs = needs
        self.triggers = frozenset(needs)
        names = {v for b in APPS for f in b.forms + b.ambiguous for v in _variants(fold(f).text)}
        # A handle or a number right after an app's name, two words apart at most: "line: joe_88",
        # "signal id lab.kim", "telegram 06 12 ...".
        self.handle_after_name = re.compile(
            # (the names as a prefix tree, see `nlp.alternation`: one is only looked for)
            rf"{word_alternation(names, after_first=r'(?<![a-z0-9].)')}(?![a-z0-9])"
            r"(?:\W{0,4}[\w']+){0,2}?\W{0,4}"
            r"(?:@|(?=[a-z0-9._#-]*[a-z])[a-z0-9._#-]*(?:[\d_#]|[a-z0-9]\.[a-z0-9])|\+?\d(?:[\s.,\-/()]{0,3}\d){6})"
        )

        self.number_before_name = re.compile(rf"\d(?:[\s.-]?\d){{6}}\W{{0,4}}{word_alternation(names)}(?![a-z0-9])")
        # A thread repeats its sentences (greetings, quotes, the same case talk): the answer
        # for each of the last few thousand is remembered, per gate (a new tagger starts afresh).
        self.sentence_may_request = lru_cache(maxsize=_SENTENCES_REMEMBERED)(self._sentence_may_request)

    def may_request(self, text: str, start: int, end: int, spaced: str | None = None) -> bool:
        """Whether `text[start:end]` may hold a request; `spaced` is `_spaced_words(text)`."""
        tokens = spaced[start:end].split() if spaced is not None else _WORD.findall(text, start, end)
        triggers = self.triggers.intersection(tokens)
        if not triggers:  # (most sentences: their set of words is not built)
            return False
        words = set(tokens)
        for trigger in triggers:
            for phrase_words, company in self.needs[trigger]:
                if phrase_words <= words and (not company or self._has_company(company, words, text, start, end)):
                    return True
        return False

    def has_trigger(self, text: str, spaced: str | None) -> bool:
        """Whether `text` holds a word that may start a request; `spaced` is `_spaced_words(text)`."""
        return not self.triggers.isdisjoint(spaced.split() if spaced is not None else _WORD.findall(text))

    def _sentence_may_request(self, sentence: str) -> bool:
        """`may_request` for a sentence of a text (see `passages`), read on its own: a sentence
        starts the text or follows a space or a line break, so what the patterns read before
        its first character is no letter either way."""
        return self.may_request(sentence, 0, len(sentence), _spaced_words(sentence))

    def _has_company(self, company: str, words: set[str], text: str, start: int, end: int) -> bool:
        if company == "fee":
            return not self.fee_words.isdisjoint(words)
        if company == "cue":
            return self._any(("contact", "pay", "call_me", "asking"), words)
        if company == "method":  # "zelle me", "lydia stp", or a payment cue, a way around the platform
            return (
                not words.isdisjoint(_ME_OR_COURTESY)
                or not words.isdisjoint(_ACCEPTING)
                or self._any(("pay", "off_platform", "bypass"), words)
                or self._has_company("fee", words, text, start, end)
                or not words.isdisjoint(CANCEL_WORDS)
                or not words.isdisjoint(HANDOVER_WORDS)  # "contanti alla consegna"
            )
        # An app: a contact or asking cue, a handle or a number by its name; for names that
        # are no word also a possessive ("my insta"), a verb ("whatsapp me"), a bare handle
        # ("kim_dental on snapchat") or a word after a colon ("skype: johnd").
        if not words.isdisjoint(APP_ID_WORDS if company == "name" else _APP_WORDS):
            return True  # (for a name that is also a word, only its id word: "line" and "or" are common)
        if company == "app" and (
            not words.isdisjoint(_ME_OR_SAME)
            or not words.isdisjoint(_GLUED_ME)
            or (not words.isdisjoint(JOIN_WORDS) and not words.isdisjoint(GROUP_WORDS))
            or self._any(("possessive",), words)
            or any(map(text[start:end].__contains__, "_:="))
        ):
            return True
        return (
            self._any(("contact", "asking"), words)
            or "@" in text[start:end]
            or bool(self.handle_after_name.search(text, start, end))
            or (company == "app" and bool(self.number_before_name.search(text, start, end)))  # "0662334455 واتساب"
        )

    def _any(self, labels: tuple[str, ...], words: set[str]) -> bool:
        for label in labels:
            index = self.cues[label]
            for word in index.keys() & words:
                if any(map(words.issuperset, index[word])):  # the words of one of its phrases
                    return True
        return False


_COMPANY_LABELS = ("contact", "asking", "possessive", "pay", "off_platform", "bypass", "call_me")


def _index(phrases) -> dict[str, list[frozenset[str]]]:
    """The word sets of the phrases' variants, filed under their least common word."""
    index: dict[str, list[frozenset[str]]] = {}
    for phrase in phrases:
        for variant in _variants(fold(phrase).text):
            words = frozenset(_WORD.findall(variant))
            if words:
                trigger = max(words, key=lambda w: (w not in _COMMON, len(w), w))
                index.setdefault(trigger, []).append(words)
    return index


def _file(needs: dict, phrases, company: str) -> None:
    for trigger, word_sets in _index(phrases).items():
        needs.setdefault(trigger, []).extend((words, company) for words in word_sets)


# One tagger for every language, built at import: spaCy's multi-language "xx" tokenizer
# reads the cues of the six languages as well as each one's own (the corpus scores the
# same), costs a tenth of a second to build instead of seconds for French's exceptions, and
# leaves no language to pay on its first message.
_TAGGER = PhraseTagger("xx")


def tagger(lang: str | None = None) -> PhraseTagger:
    """The tagger (the same whatever the language), replaced when its vocabulary is full."""
    global _TAGGER
    if _TAGGER.is_full():
        _TAGGER = PhraseTagger("xx")
    return _TAGGER
