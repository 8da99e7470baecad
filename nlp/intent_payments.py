"""Evidence that a payment service is named as the way to pay outside the platform.

`PaymentEvidence` finds the service named as the way ("send it on Venmo"), the platform's
order cancelled ("... and we cancel the order here"), an address in the sentence, and what
rules a payment out: one told by someone else or in the past, or refused ("not allowed").
"""

from __future__ import annotations

import re

from spacy.strings import hash_string

from nlp.intent_passage import CANCEL_IDS, Passage
from nlp.lexicon import FRIENDS_WORDS, HANDOVER_WORDS, NUMBER_WORDS, PREPOSITIONS
from nlp.phrases import Phrase

_IT_OR_ME = frozenset("it me lo la le mir moi mi lik liya lia لي ليا".split())
# Someone else paying, or a payment told in the past: not a request.
_REPORTED = frozenset(
    "paid pagou payait payaient pagaba pagava pagato bezahlt bezahlte zahlte ago patient patients patiente "
    "paciente pacientes paziente dentist dentiste dentista zahnarzt clinic clinique clinica klinik praxis".split()
)
_REPORTED_IDS = frozenset(hash_string(w) for w in _REPORTED)
# Refused right after it: "cash is not allowed", "no está permitido", "ist nicht erlaubt".
_NOT_ALLOWED_AFTER = re.compile(
    r"(?:\W+\w+){0,3}?\W+(?:not|no|n'est pas|ne sont pas|non|nao|nicht)\W+(?:\w+\W+){0,2}?"
    r"(?:allowed|permitted|accepted|possible|permitid[oa]s?|autorises?|acceptes?|permess[oi]|consentit[oi]|possibile|"
    r"erlaubt|akzeptiert|moglich|geht|aceptad[oa]s?|aceit[oa]s?|posible|possivel|puede|pode|peut)"
)


# Accepting a way to pay, right after it: "Wise works for me", "Wise passt", "Wise, ça me va".
_ACCEPTED = ("works for me", "passt", "passt mir", "ca me va", "me va", "me sirve", "va bene", "mi va bene", "serve")
_HANDOVER_REACH = 6  # tokens after cash searched for the handover it is paid at
# A phone number after a service and up to two short words: "MB Way para o 912 345 678".
_NUMBER_AFTER = re.compile(r"\W{0,4}(?:\w{1,4}\W{1,3}){0,2}\+?\d(?:[\s.,\-/()]{0,3}\d){6,}")


class PaymentEvidence(Passage):
    def _way_to_pay(self, method: Phrase) -> Phrase | None:
        # "send IT on Venmo", "حول LI على": an object before the preposition, not "paid him by PayPal"
        if self._token_in(method.start - 1, PREPOSITIONS) and self._token_in(method.start - 2, _IT_OR_ME):
            return Phrase("pay", method.start - 1, method.start)
        return None

    def _address_after(self, phrase: Phrase) -> bool:
        last = len(self.sentence) - 1 - self.sentence[::-1].index(self.sentence[phrase.start])
        after = self.doc[phrase.end : last + 1].text
        return "www" in after or "://" in after

    def _not_allowed_after(self, phrase: Phrase) -> bool:
        end = self.doc[phrase.end - 1]
        return bool(_NOT_ALLOWED_AFTER.match(self.text, end.idx + len(end)))

    def _reported(self, method: Phrase) -> bool:
        """How someone else paid, or paid before: "the patient paid in cash at the clinic"."""
        first = self.sentence.index(self.sentence[method.start])
        return not _REPORTED_IDS.isdisjoint(self.orth[first : method.start])

    def _cancelled_here(self, target: Phrase) -> Phrase | None:
        """ "... and we cancel the order here": paid elsewhere, the platform's order dropped."""
        for i, o in enumerate(self.orth):
            if o in CANCEL_IDS and self.sentence[i] == self.sentence[target.start]:
                return Phrase("pay", i, i + 1)
        return None

    def _at_handover(self, method: Phrase) -> Phrase | None:
        """ "contanti alla consegna", "cash when you pick up the models": cash paid when the work
        changes hands, so not through the platform; offered, it opens its sentence, a word for
        paying or a preposition before it at most ("pago en efectivo al recoger", "en cash quand tu
        récupères"), not "the courier collects cash on delivery"."""
        first = self.sentence.index(self.sentence[method.start])
        opener = self._just_before("pay", method.start) or self._token_in(method.start - 1, PREPOSITIONS)
        if method.start - first > 1 or (method.start > first and not opener):
            return None
        for i in range(method.end, min(len(self.words), method.end + _HANDOVER_REACH)):
            if self.words[i] in HANDOVER_WORDS and self._same_sentence_at(i, method.start):
                return Phrase("pay", i, i + 1)
        return None

    def _as_a_gift(self, method: Phrase) -> Phrase | None:
        """ "PayPal friends and family", "PayPal entre amis": a payment sent as a gift (not "PayPal
        friends and family is not allowed here")."""
        gift = [i for i in range(method.end, method.end + 4) if self._token_in(i, FRIENDS_WORDS)]
        if not gift or gift[0] > method.end + 1:
            return None
        phrase = Phrase("pay", method.end, gift[-1] + 1)
        return None if self._not_allowed_after(phrase) else phrase

    def _number_after(self, method: Phrase) -> int | None:
        """ "MB Way para o 912 345 678", "Satispay al 333 ...": the service's account is a phone
        number (the phone detector reports it)."""
        end = self.doc[method.end - 1]
        return method.end if _NUMBER_AFTER.match(self.text, end.idx + len(end)) else None

    def _my_number_after(self, method: Phrase) -> int | None:
        """ "Paylib sur mon numéro", "Bizum a mi número", "MB Way para o meu número": the service's
        account is the writer's phone number, named rather than written."""
        i = method.end + self._token_in(method.end, PREPOSITIONS)
        mine = self._just_before("possessive", i + 1, gap=0) if i < len(self.words) else None
        if mine and mine.start == i and self._token_in(mine.end, NUMBER_WORDS):
            return mine.end + 1
        return None

    def _accepted(self, method: Phrase) -> bool:
        """ "Wise works for me", "Wise passt", "Wise, ça me va": the service accepted as the way, by
        the one who is paid, opening the sentence."""
        if method.start > 0 and self._same_sentence_at(method.start - 1, method.start):
            return False
        i = method.end + self._token_in(method.end, frozenset(","))
        words = " ".join(self.words[i : i + 3])
        return any(words == a or words.startswith(a + " ") for a in _ACCEPTED)
