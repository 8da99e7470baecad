"""The passage the intent rules read: its sentences and clauses, and the cues found in it.

`Passage` numbers every token's sentence and clause and answers the questions every intent
rule asks (is a cue near, in the same sentence, negated, turned down, is the platform named
as the place); `nlp.intent_handles`, `nlp.intent_apps` and `nlp.intent_payments` add the
evidence of their own kind, and `nlp.intents` the rules themselves.
"""

from __future__ import annotations

import re
from itertools import accumulate

from spacy.attrs import ORTH
from spacy.strings import hash_string
from spacy.tokens import Doc

from nlp.lexicon import CANCEL_WORDS, POSSESSIVE_AFTER
from nlp.phrases import Phrase

_NEARBY = 6  # tokens between a payment or off-platform cue and what it qualifies
_NEGATION_WINDOW = 4
_SENTENCE_ENDS = (".", "!", "?", ";", "\n", "\n\n", "\n\n\n", " \n", "\n ", "\u061f")  # and Arabic "?"
CLAUSE_ENDS = _SENTENCE_ENDS + (",", "\u060c", "(", ")", "but", "mais", "pero", "mas", "ma", "aber", "لكن")
_SENTENCE_END_IDS = frozenset(hash_string(t) for t in _SENTENCE_ENDS)
_CLAUSE_END_IDS = frozenset(hash_string(t) for t in CLAUSE_ENDS)
_PLATFORM_WORDS = ("platform", "plateforme", "plataforma", "piattaforma", "plattform", "occlusa")
# A request answered by its writer with a refusal: "Email me? No need, reply here".
_REFUSED_AFTER = re.compile(
    r"\W{0,4}(?:no need|no thanks|not needed|pas besoin|pas la peine|"
    r"non merci|no hace falta|no es necesario|no gracias|nicht notig|"
    r"nicht noetig|nein danke|nao precisa|nao e preciso|non serve|"
    r"non c'e bisogno|no grazie)\b"
)
CANCEL_IDS = frozenset(hash_string(w) for w in CANCEL_WORDS)
_NO = frozenset("no non nein nope nao la لا".split())
_LAST_NEGATIONS = frozenset(("nicht",))
_NO_AFTER = re.compile(r"\W{0,4}(?:no|non|nein|nope|nao|la|لا)\b")

_WORDS_REMEMBERED = 100_000  # token texts kept by id (a few MB)
_KNOWN_WORDS: dict[int, str] = {}


def _words(doc: Doc, orth: list[int]) -> list[str]:
    """The token texts of `doc`, whose ids are `orth`, read often by the rules: one Token object
    each costs what tokenising did, a string store lookup decodes the text again; an id is the
    hash of its text in every vocabulary, so the texts seen are kept by id for every tagger."""
    try:
        return list(map(_KNOWN_WORDS.__getitem__, orth))
    except KeyError:
        words = list(map(doc.vocab.strings.__getitem__, orth))
        if len(_KNOWN_WORDS) > _WORDS_REMEMBERED:
            _KNOWN_WORDS.clear()
        _KNOWN_WORDS.update(zip(orth, words))
        return words


class Passage:
    """A passage, its phrases by label, and the evidence every rule looks for."""

    def __init__(self, text: str, doc: Doc, found: dict[str, list[Phrase]]) -> None:
        self.text = text
        self.doc = doc
        self.found = found
        # Sentence and clause number of every token: a sentence end belongs to the sentence it
        # ends, a clause end ("," "but") to the clause it opens.
        self.orth = orth = doc.to_array(ORTH).tolist()
        self.words = _words(doc, orth)
        self.sentence = [0, *accumulate(map(_SENTENCE_END_IDS.__contains__, orth[:-1]))]
        self.clause = list(accumulate(map(_CLAUSE_END_IDS.__contains__, orth)))

    def _mine_after(self, name: Phrase) -> Phrase | None:
        """ "insta dyali", "الحساب البنكي ديالي": "my" after the name, in Darija and Egyptian."""
        if self._token_in(name.end, POSSESSIVE_AFTER):
            return Phrase("possessive", name.end, name.end + 1)
        return None

    def _turned_down(self, end: int, reach: int = 1) -> bool:
        """A "no" closing the clause within `reach` tokens after token `end`, or opening what follows
        the passage: "Bizum o transferencia no, ...", "Telegram oder WhatsApp? Nein, wir bleiben hier"."""
        for i in range(end, min(len(self.words), end + reach)):
            if self.words[i] in _NO and self._ends_clause(i + 1):
                return True
            if self.words[i] in CLAUSE_ENDS:
                break
        last = self.doc[-1]
        return end >= len(self.words) - 1 and bool(_NO_AFTER.match(self.text, last.idx + len(last)))

    def _ends_clause(self, i: int) -> bool:
        return i >= len(self.words) or self.words[i] in CLAUSE_ENDS

    def _negated(self, start: int, window: int = _NEGATION_WINDOW) -> bool:
        for negation in self.found["negations"]:
            if 0 <= start - negation.end <= window and self.clause[negation.start] == self.clause[start]:
                return True
        return False

    def _negated_at_end(self, phrase: Phrase) -> bool:
        """German puts the negation last: "PayPal-Freunde mache ich nicht, ...", "Überweisung
        am Portal vorbei auch nicht." A "nicht" closing the phrase's clause after it, the clause
        not a question ("geht das nicht?")."""
        clause = self.clause[phrase.start]
        last = phrase.end - 1
        while (
            last + 1 < len(self.words) and self.clause[last + 1] == clause and self.words[last + 1] not in CLAUSE_ENDS
        ):
            last += 1
        after = self.words[last + 1] if last + 1 < len(self.words) else ""
        return last >= phrase.end and self.words[last] in _LAST_NEGATIONS and after != "?"

    def _refused(self, phrase: Phrase) -> bool:
        """The writer turns the request down right after it: "email me? no need"."""
        end = self.doc[phrase.end - 1]
        return bool(_REFUSED_AFTER.match(self.text, end.idx + len(end)))

    def _on_platform(self, phrase: Phrase) -> bool:
        return any(
            self.clause[p.start] == self.clause[phrase.start]
            and not self._after_cancel(p.start)
            and not self._negated(p.start, window=2)  # "pay me directly, not on the platform"
            for p in self.found["on_platform"]
        )

    def _after_cancel(self, i: int) -> bool:
        """ "cancel the order HERE" names the platform as what is left, not as the place."""
        return not CANCEL_IDS.isdisjoint(self.orth[max(0, i - 4) : i])

    def _platform_after(self, phrase: Phrase) -> bool:
        """The platform named as the place later in the sentence, in a clause of its own and
        not negated: "the dentist wants to pay us directly, but everything goes through the
        platform" (not "pay me directly, not through the platform")."""
        for place in self.found["on_platform"]:
            later = place.start > phrase.end and self.clause[place.start] != self.clause[phrase.start]
            named = any(word in self.doc[place.start : place.end].text for word in _PLATFORM_WORDS)
            if later and named and self._same_sentence(place, phrase) and not self._negated(place.start, window=2):
                return True
        return False

    def _in_sentence(self, label: str, target: Phrase) -> Phrase | None:
        return next((p for p in self.found[label] if self._same_sentence(p, target)), None)

    def _nearby(self, target: Phrase, labels: tuple[str, ...]) -> Phrase | None:
        for label in labels:
            for cue in self.found[label]:
                distance = max(cue.start - target.end, target.start - cue.end)
                inside = target.start <= cue.start and cue.end <= target.end  # "pay" in "Apple Pay"
                if distance <= _NEARBY and not inside and self._same_sentence(cue, target):
                    return cue
        return None

    def _cue_before(self, label: str, start: int, window: int) -> Phrase | None:
        for cue in self.found[label]:
            if 0 <= start - cue.end <= window and self.sentence[cue.start] == self.sentence[start]:
                return cue
        return None

    def _just_before(self, label: str, start: int, gap: int = 0) -> Phrase | None:
        for phrase in self.found[label]:
            if 0 <= start - phrase.end <= gap:
                return phrase
        return None

    def _token_in(self, i: int, words: frozenset[str]) -> bool:
        return 0 <= i < len(self.words) and self.words[i] in words

    def _same_sentence_at(self, i: int, j: int) -> bool:
        return self.sentence[i] == self.sentence[j]

    def _same_sentence(self, a: Phrase, b: Phrase) -> bool:
        return self.sentence[a.start] == self.sentence[b.start]
