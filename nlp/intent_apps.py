"""Evidence that an app or network is named as a place to get in touch.

`AppEvidence` finds the contact cue before the app ("add me on"), one addressed to the
writer after it ("tenho Viber também, me adiciona"), the same name as here ("stesso nome"),
a request for the other side's account ("what's your telegram?") or to send there, and
what rules it out: the app qualifying pictures ("WhatsApp photos") or someone else asking.
"""

from __future__ import annotations

import re

from nlp.findings import MESSAGING_APP
from nlp.intent_handles import HandleEvidence
from nlp.intent_passage import CLAUSE_ENDS
from nlp.lexicon import (
    APP_ID_WORDS,
    GROUP_WORDS,
    JOIN_WORDS,
    NUMBER_WORDS,
    OR_WORDS,
    POSSESSIVE_AFTER,
    PREFERRED,
    PREPOSITIONS,
    PRONOUNS,
    SAME_WORDS,
)
from nlp.mention_words import ASKED_WORDS
from nlp.phrases import APP, Phrase

_CUE_WINDOW = 4  # tokens between a contact cue and the app it names
_CUE_AFTER_WINDOW = 3  # tokens between an app and a contact cue addressed to the writer after it
OF = frozenset("of de di do da del della des du von der".split())
# What an app's name may qualify ("WhatsApp photos", "les photos WhatsApp").
_MEDIA = frozenset(
    "photo photos pic pics picture pictures image images video videos audio audios screenshot screenshots style like "
    "selfie selfies capture captures foto fotos imagen imagenes imagem imagens bild bilder fotografie "
    "immagine immagini vocale vocal vocaux audio".split()
)
_FROM = frozenset("from via".split())
_NEGATED_AFTER = frozenset("keine kein keinen nicht nie niemals".split())  # German: the negation follows
_HYPHEN = frozenset("-")
# Saying the app is the better place, right after it: "WhatsApp is quicker", "per vatsap geht
# schneller" (contact cues too: "it's easier on WhatsApp").
_PREFERS = frozenset(
    (
        "is quicker",
        "is easier",
        "is faster",
        "est plus simple",
        "est plus rapide",
        "es mas facil",
        "es mas rapido",
        "e mais facil",
        "e mais rapido",
        "e piu facile",
        "e piu veloce",
        "ist einfacher",
        "geht schneller",
        "ist schneller",
    )
)
# Words that may stand between a cue and an ambiguous name: "schreib mir doch bitte per Signal"
_FILLERS = frozenset("doch bitte mal einfach kurz please pls just stp svp juste".split())
_FOR = frozenset("for pour para per fur".split())
_US = frozenset("me us moi nous mi nosotros mim nos noi mich uns".split())
# "t'as Signal ?": asking whether the other side has an app that is also a word.
_HAVE = frozenset(
    ("tu as", "t'as", "vous avez", "do you have", "have you got", "hast du", "haben sie", "tienes", "tens", "hai")
)
POLITE = frozenset("please pls plz svp stp bitte porfa por per ? ! \u061f 3afak afak عافاك".split())
_YOURS_AFTER = frozenset("dyalek dyalk dialek dyalak ديالك بتاعك تاعك".split())
_NAME_WORDS = frozenset(
    "name nom nombre nome usuario user username pseudo smiya smia الاسم اسم سمية السمية اليوزر "
    "handle utente benutzername nutzername namen esm ism".split()
)
# Someone else as the subject: "my cousin has the same name on Facebook", not the writer's name.
_SOMEONE_ELSE = frozenset(
    "he she they someone somebody his her their cousin friend patient dentist client il elle ils elles quelqu'un "
    "cousin ami alguien primo amigo paciente ele ela eles alguem qualcuno cugino amico lui lei loro jemand er "
    "cousine kollege huwa hiya هو هي حد zahnarzt zahnarztin arzt dentista dentiste dottore medico doctor".split()
)
_JOIN_REACH = 4  # tokens between the join verb and the group or the app, whichever comes first
_SAME_REACH = 4  # tokens after an app searched for "same name", "same number"
_ID_REACH = 8  # tokens after an app searched for its id word and the id
# What may stand between an app's name and its id word, or the id word and the id: "(ID: 7XK2M9PD)",
# "mi ID de Threema es ...", "il mio utente è ...".
_ID_JOINERS = frozenset(": = - ( is es e est c'est ist lautet de do da di del von my mi mon meu mio il l dyali".split())
# A verb saying the app suits the writer, before "better": "Signal works best", "Signal va meglio".
_SUITS = frozenset("is works c'est est es e va ist geht".split())
_ME_FOR = frozenset("for pour para per fur".split())
_NO = frozenset("no non nein nope nao la لا".split())


_AT_ID = re.compile(r"@[a-z0-9_][a-z0-9_.]+")
_MARKED_ID = re.compile(r"(?=[a-z0-9._-]*[a-z])(?=[a-z0-9._-]*[\d._])[a-z0-9][a-z0-9._-]+")
_PLAIN_ID = re.compile(r"[a-z][a-z0-9]{3,}")


class AppEvidence(HandleEvidence):
    def _contact_cue(self, app: Phrase) -> Phrase | None:
        """The nearest contact cue before the app. Before an ambiguous name only prepositions
        and object pronouns may stand, and a preposition must end the cue or stand between:
        "add me on Line", "je suis sur Signal", not "move the line"."""
        for cue in sorted(self.found["contact"], key=lambda p: -p.end):
            if not 0 <= app.start - cue.end <= _CUE_WINDOW or not self._same_sentence(cue, app):
                continue
            if not app.ambiguous:
                return cue
            asked = self.doc[cue.start : cue.end].text in _HAVE and self._token_in(app.end, frozenset("?"))
            if asked and cue.end == app.start:
                return cue
            gap = set(self.words[cue.end : app.start])
            has_preposition = bool(gap & PREPOSITIONS) or self._token_in(cue.end - 1, PREPOSITIONS)
            if gap <= PREPOSITIONS | PRONOUNS | _FILLERS and has_preposition:
                return cue
        return None

    def _contact_cue_after(self, app: Phrase) -> Phrase | None:
        """A contact cue addressed to the writer right after the app, ending its clause:
        "tenho Viber também, me adiciona". Only cues with an object pronoun ("add me", not
        "talk"), and nothing after them ("photos on WhatsApp, write me when they are
        uploaded" asks for a message here)."""
        for cue in self.found["contact"]:
            close = 0 <= cue.start - app.end <= _CUE_AFTER_WINDOW and self._same_sentence(cue, app)
            ends_clause = cue.end == len(self.words) or self.words[cue.end] in CLAUSE_ENDS + tuple(POLITE)
            if close and ends_clause and any(w in PRONOUNS for w in self.words[cue.start : cue.end]):
                return cue
            # "su Viber mi trovi come Dario Lab", "auf Telegram findest du mich": the app as the place,
            # right before a cue that names the writer
            placed = self._token_in(app.start - 1, PREPOSITIONS) and self._opens_sentence(app.start - 1)
            if placed and cue.start == app.end and any(w in PRONOUNS for w in self.words[cue.start : cue.end]):
                return cue
            if close and cue.start == app.end and self.doc[cue.start : cue.end].text in _PREFERS:
                # better for the writer, not "easier for the dentist to show patients"
                for_whom = self._token_in(cue.end, _FOR)
                if not for_whom or self._token_in(cue.end + 1, _US):
                    return cue
        return None

    def _asked_by_others(self, start: int) -> bool:
        """Someone else asked for the writer's account, reported: "asked for my", "m'a demandé mon",
        "asked me for my"."""
        return any(self._token_in(i, ASKED_WORDS) for i in (start - 1, start - 2, start - 3))

    def _same_name_after(self, app: Phrase) -> Phrase | None:
        """ "ho Viber, stesso nome", "ana f Viber b smiya dyali": the account named as the writer's own."""
        for i in range(app.end, min(len(self.words) - 1, app.end + 3)):
            same = self.words[i] in SAME_WORDS and self.words[i + 1] in _NAME_WORDS
            mine = self.words[i] in _NAME_WORDS and self.words[i + 1] in POSSESSIVE_AFTER  # "b smiya dyali"
            if (same or mine) and self._same_sentence_at(i, app.start):
                return Phrase("contact", i, i + 2)
        return None

    def _same_name_before(self, app: Phrase) -> Phrase | None:
        """ "same name on threads", "même pseudo sur Pinterest", "nafs el esm 3al insta": the
        writer's name reused on the app, said right before it with a preposition."""
        i = app.start - 2  # the name word, before the preposition
        if not (self._token_in(app.start - 1, PREPOSITIONS) and self._token_in(i, _NAME_WORDS)):
            return None
        for j in (i - 1, i - 2):  # "el mismo usuario", "nafs el esm"
            if self._token_in(j, SAME_WORDS) and self._same_sentence_at(j, app.start):
                clause = [w for k, w in enumerate(self.words[:j]) if self.clause[k] == self.clause[j]]
                return None if _SOMEONE_ELSE.intersection(clause) else Phrase("contact", j, app.start)
        return None

    def _group_joined(self, app: Phrase, mine: bool = False) -> Phrase | None:
        """ "join our WhatsApp group", "rejoignez notre groupe WhatsApp", "entra no nosso grupo do
        zapzap": a verb of joining, then a group or channel named with the app (before it or
        right after it), in one sentence; `mine`: with the writer's possessive between them
        ("únete a mi grupo de WhatsApp de técnicos", not "the family's WhatsApp group")."""
        groups = [
            i
            for i in range(max(0, app.start - 4), min(len(self.words), app.end + 2))
            if self.words[i] in GROUP_WORDS and self._same_sentence_at(i, app.start)
        ]
        if not groups:
            return None
        first = min(groups[0], app.start)
        for i in range(max(0, first - _JOIN_REACH), first):
            if self.words[i] in JOIN_WORDS and self._same_sentence_at(i, app.start):
                if mine and not any(i < p.start < first for p in self.found["possessive"]):
                    return None
                return Phrase("contact", i, max(groups[-1] + 1, app.end))
        return None

    def _asked_for(self, app: Phrase) -> Phrase | None:
        """ "what's your telegram?", "dame tu whatsapp": asking, then "your", then the app; in
        Darija "your" follows it: "3tini whatsapp dyalek", "شنو الواتساب ديالك؟"."""
        yours = self._just_before("yours", app.start, gap=0)
        if not yours and self._token_in(app.end, _YOURS_AFTER):
            yours = app
        return yours and self._cue_before("asking", yours.start, window=2)

    def _names_media(self, app: Phrase) -> bool:
        """The app qualifies pictures or files: "WhatsApp photos", "les photos WhatsApp",
        "fotos de WhatsApp", "WhatsApp-Fotos"; or it is someone else's ("no WhatsApp do
        consultório"), or refused after it ("über WhatsApp keine Patientendaten")."""
        before = app.start - 1
        others = self._token_in(app.end, OF) and not self._token_in(app.end + 1, frozenset(("course",)))
        refused = any(self._token_in(i, _NEGATED_AFTER) for i in (app.end, app.end + 1))
        return (
            others
            or refused
            or self._token_in(app.end, _MEDIA)
            or (self._token_in(app.end, _HYPHEN) and self._token_in(app.end + 1, _MEDIA))
            or self._token_in(before, _MEDIA)
            or (self._token_in(before, OF | _FROM) and self._token_in(before - 1, _MEDIA))
        )

    def _asked_to_send_there(self, app: Phrase) -> Phrase | None:
        """ "send me the photos on WhatsApp", "pásame las fotos por guasap": a request to
        send, and a preposition making the app the place to send to."""
        if not self._token_in(app.start - 1, PREPOSITIONS):
            return None
        cue = self._cue_before("asking", app.start - 1, window=_CUE_WINDOW - 1)
        return cue if cue and self.clause[cue.start] == self.clause[app.start] else None

    def _same_number_after(self, app: Phrase) -> Phrase | None:
        """ "Viber has the same number as my lab", "zapzap, mesmo número": the writer's number,
        given elsewhere, reused on the app."""
        if NUMBER_WORDS.isdisjoint(self.words[app.end : app.end + _SAME_REACH + 1]):
            return None
        for i in range(app.end, min(len(self.words) - 1, app.end + _SAME_REACH)):
            if self.words[i] in SAME_WORDS and self.words[i + 1] in NUMBER_WORDS:
                if self._same_sentence_at(i, app.start):
                    return Phrase("contact", i, i + 2)
        return None

    def _alternative(self, app: Phrase) -> Phrase | None:
        """ "Telegram or Viber, your pick", "uozzap o Telegram", "Satispay o PayPal, ...": two apps
        or two ways to pay offered as a choice, opening the sentence (a preposition may come
        first) and ending their clause; not "Facebook or Instagram are where patients find us"."""
        if app.label == APP and app.brand.kind != MESSAGING_APP:
            return None  # two networks named together are no way to get in touch yet
        for other in self.found[app.label]:
            if other.brand.kind != app.brand.kind or (app.ambiguous and other.ambiguous):
                continue
            first, second = (app, other) if other.start == app.end + 1 else (other, app)
            if second.start != first.end + 1 or not self._token_in(first.end, OR_WORDS):
                continue
            opens = first.start == 0 or not self._same_sentence_at(first.start - 1, first.start)
            opens = opens or (self._token_in(first.start - 1, PREPOSITIONS) and self._opens_sentence(first.start - 1))
            # and not turned down right after: "Telegram oder WhatsApp? Nein, wir bleiben hier"
            refused = self._turned_down(second.end) or self._token_in(second.end + 1, _NO)
            if opens and self._ends_clause(second.end) and not self._negated(first.start) and not refused:
                return Phrase("contact", first.start, second.end)
        return None

    def _opens_sentence(self, i: int) -> bool:
        return i == 0 or not self._same_sentence_at(i - 1, i)

    def _preferred_after(self, app: Phrase) -> Phrase | None:
        """ "Signal c'est mieux, mon pseudo ...", "zapzap é melhor", "تيليجرام أسرع": the app said
        to be the better way, right after its name, ending the clause or said for the writer
        ("works best for me"); an ambiguous name only when it opens the sentence."""
        after_preposition = self._token_in(app.start - 1, PREPOSITIONS) and self._opens_sentence(app.start - 1)
        if app.ambiguous and not (self._opens_sentence(app.start) or after_preposition):
            return None  # "the signal is better"
        i = app.end
        while i < min(len(self.words), app.end + 3) and self.words[i] in _SUITS | frozenset(("mas", "plus", "piu")):
            i += 1
        if not self._token_in(i, PREFERRED):
            return None
        # "works best for me", "c'est plus simple pour les photos"
        for_me = self._token_in(i + 1, _ME_FOR) and (
            self._token_in(i + 2, _US) or self._token_in(i + 2, _MEDIA) or self._token_in(i + 3, _MEDIA)
        )
        if self._ends_clause(i + 1) or for_me:
            return Phrase("contact", app.end, i + 1)
        return None

    def _id_given(self, app: Phrase) -> int | None:
        """End of an app's user id named with its word: after the name ("Signal is better for the
        photos, username lina.42", "Threema-ID: 9HKP4T2X", "Telegram, Nutzer zahnwerk_berlin") or
        before it ("mi ID de Threema es P3XK7M2A", "identifiant Threema : 8HJ2KQ7N")."""
        if APP_ID_WORDS.isdisjoint(self.words[max(0, app.start - 3) : app.end + _ID_REACH]):
            return None  # (most apps have no id word near: one set test)
        words, sentence = self.words, self.sentence[app.start]
        before = any(self._token_in(i, APP_ID_WORDS) for i in range(app.start - 3, app.start))
        starts = [app.end] if before else []
        starts += [
            i + 1
            for i in range(app.end, min(len(words), app.end + _ID_REACH))
            if words[i] in APP_ID_WORDS and self.sentence[i] == sentence
        ]
        for i in starts:
            colon = False
            while i < len(words) and i - starts[0] < _ID_REACH and words[i] in _ID_JOINERS | APP_ID_WORDS:
                colon |= words[i] in (":", "=")
                i += 1
            if i < len(words) and self.sentence[i] == sentence and _is_id(words[i], plain=colon and not app.ambiguous):
                return i + 1
        return None


def _is_id(text: str, plain: bool) -> bool:
    """An id: with a digit, a dot or an underscore ("lina.42", "zahnwerk_berlin"), an @handle, or
    after a colon and a name that is no word, a plain one ("user: dentaldan")."""
    if _AT_ID.fullmatch(text) or _MARKED_ID.fullmatch(text):
        return True
    return plain and bool(_PLAIN_ID.fullmatch(text))
