"""Evidence of a handle or number given with an app's name: "telegram: @lab", "@lab on ig".

`HandleEvidence` finds the account attached to a name, after it or before it, or presented
further on in its sentence ("auf Instagram findest du mich als @zahnwerk"), and a phone
number next to it (which the phone detector reports); both the app and the payment rules
of `nlp.intents` use it.
"""

from __future__ import annotations

import re

from nlp.intent_passage import Passage
from nlp.lexicon import HANDLE_JOINERS
from nlp.phrases import Phrase

_PRESENTED_REACH = 9  # tokens after an app's name searched for the handle it presents
_AT_HANDLE = re.compile(r"@[a-z0-9_][a-z0-9_.]{1,}")
_ID_HANDLE = re.compile(r"(?=[a-z0-9._#-]*[a-z])(?=[a-z0-9._#-]*[\d._#])[a-z0-9][a-z0-9._#-]+")
_WORD_HANDLE = re.compile(r"[a-z][a-z0-9._-]{2,}")
_BARE_HANDLE = re.compile(r"(?=[a-z0-9_]*[a-z])[a-z0-9]+(?:_[a-z0-9]+)+")  # kim_dental, no dots
# Words after which a bare handle is named: "findest du mich unter zahnlabor.berger", "sous le
# nom cfao_thomas", "username is ceramic.dan", "je suis labo_dentaire_nice".
_NAMED_AS = frozenset(
    "unter als under as sous comme como come name nom nombre nome namen username handle pseudo usuario "
    "utente benutzername suis soy sou sono bin".split()
)
_I_AM = frozenset("i'm im 'm suis soy sou sono bin".split())
# "auf TikTok heiße ich zahnmarkus", "en TikTok me llamo lu_cer": a name given on the app.
_CALLED = frozenset("heisse heiss appelle llamo chiamo chamo called".split())
_NUMBER_BEFORE = re.compile(r"\+?\d(?:[\s.,\-/()]{0,3}\d){6,}\W{0,4}$")
_NUMBER_AFTER = re.compile(r"\W{0,4}(?:\w+\W{1,3})?\+?\d(?:[\s.,\-/()]{0,3}\d){6,}")


class HandleEvidence(Passage):
    def _handle_after(self, end: int, strict: bool) -> int | None:
        """End of a handle or the evidence of a number joined to the name at token `end`."""
        doc, words, i = self.doc, self.words, end
        joined_by_colon = False
        while i < len(words) and i - end < 2 and words[i] in HANDLE_JOINERS:
            joined_by_colon |= words[i] in (":", "=")
            i += 1
        if i >= len(words):
            return None
        text = words[i]
        if _AT_HANDLE.fullmatch(text) or _ID_HANDLE.fullmatch(text):
            return i + 1
        if text == "@" and i + 1 < len(words) and _WORD_HANDLE.fullmatch(words[i + 1]):
            return i + 2  # "insta is @ smile_works_lab"
        if not strict and joined_by_colon and _WORD_HANDLE.fullmatch(text):
            return i + 1
        if _NUMBER_AFTER.match(self.text, doc[end - 1].idx + len(doc[end - 1])):
            return end  # a phone number follows: the phone detector reports it
        return None

    def _handle_presented(self, app: Phrase, with_opener: bool = False) -> int | None:
        """End of an @handle presented further on in the app's sentence: "sur insta je suis
        @atelier.ceram", "auf Instagram findest du mich als @zahnwerk", "insta 👉 @lab.kim"."""
        words = self.words
        for i in range(app.end + 1, min(len(words), app.end + _PRESENTED_REACH)):
            if self.sentence[i] != self.sentence[app.start]:
                return None
            before, text = words[i - 1], words[i]
            if app.ambiguous:
                # "Follow our lab on IG for before/afters: @orion.dental.lab", "su X mi trovi come
                # @fresatore_gio", nothing looser
                named_as = before in _NAMED_AS and self.clause[i] == self.clause[app.start]
                if (before == ":" or named_as) and _AT_HANDLE.fullmatch(text) and self._ends_clause(i + 1):
                    return i + 1
                continue
            if (before in HANDLE_JOINERS or before == "," and self._ends_clause(i + 1)) and _AT_HANDLE.fullmatch(text):
                return i + 1
            if _AT_HANDLE.fullmatch(text) and not text[1:].isdigit() and self.clause[i] == self.clause[app.start]:
                return i + 1  # "auf Insta bin ich @zahntechnik.jonas": an @handle in the name's clause
            named = before in _NAMED_AS or (before in HANDLE_JOINERS and words[i - 2] in _NAMED_AS)
            after_sign = with_opener and before in (":", ",")  # "folg uns auf insta, zahnlabor_nord"
            if (named or after_sign) and (_ID_HANDLE.fullmatch(text) or _BARE_HANDLE.fullmatch(text)):
                return i + 1
            called = before in _CALLED or (before == "ich" and words[i - 2] in _CALLED)
            named_word = called or (with_opener and before in _NAMED_AS)
            if named_word and _WORD_HANDLE.fullmatch(text) and self._ends_clause(i + 1):
                return i + 1
        return None

    def _number_before(self, start: int) -> bool:
        idx = self.doc[start].idx
        return bool(_NUMBER_BEFORE.search(self.text, max(0, idx - 30), idx))

    def _handle_before(self, start: int, strict: bool) -> int | None:
        """ "@lab on telegram", and for unambiguous names "kim_dental on snapchat"."""
        for i in range(max(0, start - 3), start):
            text = self.words[i]
            is_handle = _AT_HANDLE.fullmatch(text) or (not strict and _BARE_HANDLE.fullmatch(text))
            # "I'm kasia.designs on both insta and tiktok"
            is_handle = is_handle or (not strict and i and self.words[i - 1] in _I_AM and _ID_HANDLE.fullmatch(text))
            if is_handle and self.sentence[i] == self.sentence[start]:
                return i
        return None
