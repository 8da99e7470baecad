"""Mentions of an app or a payment service that tell of something, and offer nothing.

Three families the intent rules would otherwise read as offers (issue #17):

- someone else's request, reported or refused by the writer: "I reported the guy who kept
  asking for my Venmo", "j'ai signalé le designer qui me réclamait mon WhatsApp". A verb of
  reporting or refusing earlier in the clause, then a relative word ("who", "qui", "che",
  "اللي") before the mention: the request is the other person's;
- someone else's offer, reported or refused after it in the same sentence: "he offered me a
  transfer outside the platform, I reported it", "mi ha proposto un bonifico fuori piattaforma,
  l'ho segnalato". A verb of offering or asking, then the mention, then a verb of reporting;
- an account said to be hacked, cloned, stolen or closed: "my instagram got hacked", "mi hanno
  clonato il profilo instagram". The word stands a few tokens from the name;
- a video watched on a network: "shoft video 3ala YouTube", "j'ai vu une vidéo sur YouTube".

A handle or number given with the mention is still reported by the rules that read it.
"""

from __future__ import annotations

import re

from nlp.intent_passage import Passage
from nlp.mention_words import ASKED_WORDS
from nlp.mention_words import LOST_ACCOUNT_WORDS as _LOST
from nlp.phrases import Phrase

# (Text is lowercased and stripped of accents by `nlp.normalise`: "signalé" reads "signale".)
_REPORTED = frozenset(
    (
        "reported report reporting flagged flag blocked refused declined signale signalee signales "
        "bloque refuse refusee denuncie denunciado denunciada reporte reportado reportada bloquee bloqueado "
        "rechace rechazado denunciei reportei bloqueei recusei recusado segnalato segnalata segnalo bloccato "
        "rifiutato rifiutata gemeldet meldete blockiert abgelehnt lehnte bala3t blokit رفضت بلغت بلغنا "
        "عملتله عملت ريبورت بلكت حظرت"
    ).split()
)
_RELATIVE = frozenset(
    "who that which whom qui que quien quienes che cui der die den dem welcher اللي لي li lli elli".split()
)
# Someone offering or asking (the writer offering says "I can", "je peux", not these).
_OFFERED = (
    frozenset(
        (
            "offered proposed suggested asked propose proposee proposait suggere demande offert proposto proposta "
            "offerto offerta suggerito chiesto angeboten vorgeschlagen anbot gefragt ofrecio propuso sugirio pidio "
            "ofreceu propos sugeriu pediu عرض عرضت اقترح"
        ).split()
    )
    | ASKED_WORDS
)
_WORDS = re.compile(r"[^\W\d_]+")
_AT_NEXT = re.compile(r"\s*@")  # an "@" is the next character but spaces (what `str.lstrip` strips)
_NEXT_WORDS = 6  # words read after the passage for a report of the offer in it
_LOST_REACH = 4  # tokens between the name and the word saying the account is lost
_WATCHED = frozenset(
    (
        "watched watch watching saw seen see vu vue regarde vi vimos visto vista assisti assistimos "
        "guardato guardata guardavo gesehen angeschaut angesehen shoft shuft shouft chft chaft shaft shoftt شفت شوفت تفرجت "
        "اتفرجت"
    ).split()
)
_VIDEOS = frozenset(
    "video videos vid vids tutorial tutorials tuto tutos clip clips reel reels live webinar filmato "
    "filmati فيديو الفيديو فيديوهات".split()
)


class ToldEvidence(Passage):
    def _told_of_others(self, phrase: Phrase) -> bool:
        """A reported or refused request by someone else: a reporting verb, then a relative word,
        then the mention, in one clause; or the offer, then the report (`_offer_reported`)."""
        if self._offer_reported(phrase):
            return True
        clause = self.clause[phrase.start]
        relative = False
        for i in range(phrase.start - 1, -1, -1):
            if self.clause[i] != clause:
                # German and Arabic open a relative clause with a comma: "den Designer gemeldet, der ..."
                if not (self.words[i + 2] in _RELATIVE and self.clause[i] == clause - 1):
                    return False
                clause -= 1
            if self.words[i] in _RELATIVE:
                relative = True
            elif relative and self.words[i] in _REPORTED:
                return True
        return False

    def _offer_reported(self, phrase: Phrase) -> bool:
        """Someone else's offer or request, reported: a verb of offering or asking before the
        mention or in its clause, and a verb of reporting or refusing before it ("j'ai signalé le
        client : il voulait me payer par virement") or after the mention, in that sentence or
        the next ("he offered Zelle outside the site; I flagged it")."""
        if _OFFERED.isdisjoint(self.words):
            return False  # (most passages: nothing offered or asked, nothing to read word by word)
        sentence = self.sentence[phrase.start]
        offered = reported = False
        for i in range(len(self.words)):
            if self.sentence[i] < sentence:
                continue
            if self.sentence[i] > sentence:
                break
            word = self.words[i]
            if word in _OFFERED and (i < phrase.start or self.clause[i] == self.clause[phrase.start]):
                offered = True
            elif word in _REPORTED and not phrase.start <= i < phrase.end:
                reported = True
        if not offered or reported:
            return offered
        # the next sentence: after this one in the passage, or at the start of what follows it
        nxt = [w for i, w in enumerate(self.words) if self.sentence[i] == sentence + 1]
        if not nxt and self.sentence[-1] == sentence:
            last = self.doc[-1]
            nxt = _WORDS.findall(self.text, last.idx + len(last))
        return not _REPORTED.isdisjoint(nxt[:_NEXT_WORDS])

    def _account_lost(self, phrase: Phrase) -> bool:
        """The account said to be hacked, cloned, stolen or closed, a few tokens from its name."""
        low, high = max(0, phrase.start - _LOST_REACH), min(len(self.words), phrase.end + _LOST_REACH)
        return any(self.words[i] in _LOST and self.clause[i] == self.clause[phrase.start] for i in range(low, high))

    def _video_watched(self, app: Phrase) -> bool:
        """ "watched a video on YouTube": a video before the name and a verb of watching before it,
        and no "@" handle after it (a plain word after it is what the video is about: "3an" in
        Arabizi looks like an id)."""
        end = self.doc[app.end - 1]
        if _AT_NEXT.match(self.text, end.idx + len(end)):
            return False
        for i in range(app.start - 1, max(-1, app.start - 4), -1):
            if self.words[i] in _VIDEOS and self.clause[i] == self.clause[app.start]:
                return any(self.words[j] in _WATCHED for j in range(max(0, i - 3), i))
        return False
