"""Which mentions show an intent to leave the platform.

Naming an app or a payment service is not a violation ("the dentist sent the photos on
WhatsApp"); offering or asking for a way around the platform is. Rules over the phrases
`nlp.phrases` found, within one sentence and unless a negation in the same clause cancels
the cue ("we can't continue on WhatsApp"):

- an app or network with a contact cue before it ("add me on", "écris-moi sur", "tienes"),
  a first-person possessive ("my insta"), a handle or number attached ("telegram: @lab",
  "@lab on ig"), "my" or "your" after it in Darija ("insta dyali", "3tini whatsapp dyalek"),
  the same name as here after it ("ho Viber, stesso nome"), or asked for ("what's your
  telegram?"), unless someone else asked for it ("the client asked for my WhatsApp"). Names
  that are also words ("Line", "Signal", "X", "wise") need a tight context: cue + preposition
  right before the name, or an attached handle;
- a payment service with a payment cue nearby ("pay me by PayPal"), a possessive ("my
  Payoneer"), an account joined to it ("IBAN: DE89 ..."), used as a verb ("zelle me"),
  named as the way ("send it on Venmo"), the platform's order cancelled ("... and we cancel
  the order here") or a way around the platform in the same sentence; not a payment told
  ("the patient paid in cash") or refused ("cash is not allowed");
- a better price next to a way to pay or go elsewhere ("PayPal, ti faccio lo sconto",
  "www.lab.pt, sai mais barato") or compared with the platform ("moins cher qu'ici");
- a way around the platform: always for "avoid the commission"; for "directly", "outside
  the site" only with a contact or payment cue, and not when the platform is named as the
  place ("pay directly through the platform");
- asking for the other side's details ("send me your number", "your email?") or
  imperatives that only make sense elsewhere ("call me", "ruf mich an").
"""

from __future__ import annotations

import re
from collections import defaultdict
from itertools import accumulate

from spacy.attrs import ORTH
from spacy.strings import hash_string
from spacy.tokens import Doc

from nlp.findings import (
    CONTACT_REQUEST,
    DETAILS_REQUEST,
    EMAIL,
    LEAVE_REQUEST,
    MESSAGING_APP,
    OFF_PLATFORM_PAYMENT,
    SOCIAL,
    Hit,
)
from nlp.lexicon import CANCEL_WORDS, EMAIL_WORDS, HANDLE_JOINERS, POSSESSIVE_AFTER, PREPOSITIONS, PRONOUNS
from nlp.phrases import APP, BYPASS, METHOD, Phrase

_CUE_WINDOW = 4  # tokens between a contact cue and the app it names
_NEARBY = 6  # tokens between a payment or off-platform cue and what it qualifies
_NEGATION_WINDOW = 4
_CUE_AFTER_WINDOW = 3  # tokens between an app and a contact cue addressed to the writer after it
_PRESENTED_REACH = 9  # tokens after an app's name searched for the handle it presents
_SENTENCE_ENDS = (".", "!", "?", ";", "\n", "\n\n", "\n\n\n", " \n", "\n ", "\u061f")  # and Arabic "?"
_CLAUSE_ENDS = _SENTENCE_ENDS + (",", "\u060c", "(", ")", "but", "mais", "pero", "mas", "ma", "aber", "لكن")
_SENTENCE_END_IDS = frozenset(hash_string(t) for t in _SENTENCE_ENDS)
_CLAUSE_END_IDS = frozenset(hash_string(t) for t in _CLAUSE_ENDS)
_OF = frozenset("of de di do da del della des du von der".split())

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
# What an app's name may qualify ("WhatsApp photos", "les photos WhatsApp").
_MEDIA = frozenset(
    "photo photos pic pics picture pictures image images video videos audio audios screenshot screenshots style like "
    "selfie selfies capture captures foto fotos imagen imagenes imagem imagens bild bilder fotografie "
    "immagine immagini vocale vocal vocaux audio".split()
)
_FROM = frozenset("from via".split())
_NEGATED_AFTER = frozenset("keine kein keinen nicht nie niemals".split())  # German: the negation follows
# Fees that are not the platform's: "sin comisiones EXTRA por el cambio de color"
_OTHER_FEES_AFTER = frozenset(
    "extra extras additional supplementaires adicional adicionales adicionais aggiuntive aggiuntivi "
    "zusatzliche zusatzlichen".split()
)
_HYPHEN = frozenset("-")
_PLATFORM_WORDS = ("platform", "plateforme", "plataforma", "piattaforma", "plattform", "occlusa")
_I_AM = frozenset("i'm im 'm suis soy sou sono bin".split())
# "auf TikTok heiße ich zahnmarkus", "en TikTok me llamo lu_cer": a name given on the app.
_CALLED = frozenset("heisse heiss appelle llamo chiamo chamo called".split())
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
# "office line 020 ...": a phone line, not the Line app.
_PHONE_LINE = frozenset("office phone land direct main fixed business work landline hot help".split())
# "t'as Signal ?": asking whether the other side has an app that is also a word.
_HAVE = frozenset(
    ("tu as", "t'as", "vous avez", "do you have", "have you got", "hast du", "haben sie", "tienes", "tens", "hai")
)
_POLITE = frozenset("please pls plz svp stp bitte porfa por per ? ! \u061f 3afak afak عافاك".split())
_ME = frozenset(("me", "moi"))  # "whatsapp me", "paypal me", "whatsapp moi"
# "Lydia stp", "Venmo please": a payment service asked for with a courtesy word
_COURTESY = frozenset("stp svp please pls plz bitte porfa".split())
# A request answered by its writer with a refusal: "Email me? No need, reply here".
_REFUSED_AFTER = re.compile(
    r"\W{0,4}(?:no need|no thanks|not needed|pas besoin|pas la peine|"
    r"non merci|no hace falta|no es necesario|no gracias|nicht notig|"
    r"nicht noetig|nein danke|nao precisa|nao e preciso|non serve|"
    r"non c'e bisogno|no grazie)\b"
)
# Someone else asking for the writer's account, reported ("the client wanted my WhatsApp").
_ASKED = frozenset(
    "asked wanted requested demande demandait voulait pidio queria pediu pediram chiesto voleva wollte "
    "wollten gefragt verlangt طلب طلبت".split()
)
_YOURS_AFTER = frozenset("dyalek dyalk dialek dyalak ديالك بتاعك تاعك".split())
_THAN = frozenset("than que qu' als che di mn men من".split())
_HERE = frozenset("here ici aqui aca qui hier hna هنا".split())
_CANCEL_IDS = frozenset(hash_string(w) for w in CANCEL_WORDS)
_IT_OR_ME = frozenset("it me lo la le mir moi mi lik liya lia لي ليا".split())
# Someone else paying, or a payment told in the past: not a request.
_REPORTED = frozenset(
    "paid pagou payait payaient pagaba pagava pagato bezahlt bezahlte zahlte ago patient patients patiente "
    "paciente pacientes paziente dentist dentiste dentista zahnarzt clinic clinique clinica klinik praxis".split()
)
_REPORTED_IDS = frozenset(hash_string(w) for w in _REPORTED)
_SAME = frozenset("same meme mismo mesmo stesso gleicher gleichen gleiche nfs nafs نفس".split())
_NAME_WORDS = frozenset(
    "name nom nombre nome usuario user username pseudo smiya smia الاسم اسم سمية السمية اليوزر".split()
)
# Refused right after it: "cash is not allowed", "no está permitido", "ist nicht erlaubt".
_NOT_ALLOWED_AFTER = re.compile(
    r"(?:\W+\w+){0,2}?\W+(?:not|no|n'est pas|ne sont pas|non|nao|nicht)\W+(?:\w+\W+){0,2}?"
    r"(?:allowed|permitted|accepted|permitid[oa]s?|autorises?|acceptes?|permess[oi]|consentit[oi]|erlaubt|akzeptiert|aceptad[oa]s?|aceit[oa]s?)"
)
_NUMBER_BEFORE = re.compile(r"\+?\d(?:[\s.,\-/()]{0,3}\d){6,}\W{0,4}$")
_NUMBER_AFTER = re.compile(r"\W{0,4}(?:\w+\W{1,3})?\+?\d(?:[\s.,\-/()]{0,3}\d){6,}")

_Span = tuple[int, int, str, str]  # first token, end token, kind, reason

REASONS = {
    MESSAGING_APP: "Offers to continue on {}, a messaging app",
    SOCIAL: "Points to an account on {}",
    "payment": "Asks to pay outside the platform ({})",
    "off_platform": LEAVE_REQUEST,
    "bypass": "Asks to work around the platform and its commission",
    "details": DETAILS_REQUEST,
    "call_me": CONTACT_REQUEST,
}


def intent_hits(text: str, doc: Doc, phrases: list[Phrase], offset: int = 0, after: str = "") -> list[Hit]:
    """Hits for the phrases that make a request; `text` is the doc's text, found at `offset`
    in the text the hits refer to, and followed there by `after` (the writer may answer
    their own question in the next sentence: "email me? no need")."""
    found: dict[str, list[Phrase]] = defaultdict(list)
    for phrase in phrases:
        found[phrase.label].append(phrase)
    if not any(found[label] for label in (APP, METHOD, "off_platform", BYPASS, "their_details", "call_me", "cheaper")):
        return []
    rules = _Rules(text + after, doc, found)
    spans = [rules.app(p) for p in found[APP]]
    spans += [rules.method(p) for p in found[METHOD]]
    spans += [rules.off_platform(p) for p in found["off_platform"]]
    spans += [rules.bypass(p) for p in found[BYPASS]]
    spans += [rules.their_details(p) for p in found["their_details"]]
    spans += [rules.call_me(p) for p in found["call_me"]]
    spans += [rules.cheaper(p) for p in found["cheaper"]]
    return [
        Hit(kind, offset + doc[start].idx, offset + doc[end - 1].idx + len(doc[end - 1]), reason)
        for start, end, kind, reason in filter(None, spans)
    ]


class _Rules:
    def __init__(self, text: str, doc: Doc, found: dict[str, list[Phrase]]) -> None:
        self.text = text
        self.doc = doc
        self.found = found
        # Sentence and clause number of every token: a sentence end belongs to the sentence it
        # ends, a clause end ("," "but") to the clause it opens.
        self.orth = orth = doc.to_array(ORTH).tolist()
        self.sentence = [0, *accumulate(map(_SENTENCE_END_IDS.__contains__, orth[:-1]))]
        self.clause = list(accumulate(map(_CLAUSE_END_IDS.__contains__, orth)))

    # --- the rules -----------------------------------------------------------------------

    def app(self, app: Phrase) -> _Span | None:
        """An app or network named as a place to get in touch."""
        if app.ambiguous and self._token_in(app.start - 1, _PHONE_LINE):
            return None
        if self._names_media(app):
            # "do you have the WhatsApp photos from the dentist?": the photos, not the app
            handle_end = self._handle_after(app.end, strict=True)
            if not handle_end:
                return None
        opener = (
            self._contact_cue(app)
            or self._asked_for(app)
            or (None if app.ambiguous else self._just_before("possessive", app.start, gap=1))
            or self._mine_after(app)
            or (None if app.ambiguous else self._asked_to_send_there(app))
        )
        if opener and opener.label == "possessive" and self._asked_by_others(opener.start):
            opener = None  # "the client asked for my WhatsApp, I said no"
        follower = None if app.ambiguous or opener else self._contact_cue_after(app) or self._same_name_after(app)
        handle_end = self._handle_after(app.end, strict=app.ambiguous) or self._handle_presented(app)
        if app.brand.name == "Line" and handle_end == app.end:
            handle_end = None  # "the lab line is +1 646 ...": a phone line; LINE has ids
        handle_start = self._handle_before(app.start, strict=app.ambiguous)
        if handle_start is None and not app.ambiguous and self._number_before(app.start):
            handle_start = app.start  # "رقمي 0662... واتساب": the phone detector reports the number
        as_verb = not app.ambiguous and self._token_in(app.end, _ME)
        if not (opener or follower or handle_end or handle_start is not None or as_verb):
            return None
        if opener and not handle_end and not app.ambiguous:
            # "mi insta por si quieres ver más trabajos: dentalart.mx" is the account, not a
            # link; "mi trovi su Instagram come odontogiulia" names it in plain words
            handle_end = self._handle_presented(app, with_opener=True)
        if opener:
            start = min(opener.start, app.start)
        else:
            start = handle_start if handle_start is not None else app.start
        # Portuguese "no" (in the) before an app with its handle: "no threads: @lab.sorriso3d"
        in_the = start == app.start and handle_end and self._token_in(app.start - 1, frozenset(("no",)))
        if self._negated(start) and not in_the:
            return None
        reason = REASONS[app.brand.kind].format(app.brand.name)
        end = max(app.end, handle_end or 0, follower.end if follower else 0, opener.end if opener else 0)
        return start, end, app.brand.kind, reason

    def method(self, method: Phrase) -> _Span | None:
        """A payment service named as the way to pay."""
        pay_me = self._token_in(method.end, _ME) or self._token_in(method.end, _COURTESY)
        if method.ambiguous and not pay_me and not self._token_in(method.start - 1, PREPOSITIONS):
            return None
        cue = self._nearby(method, ("pay", "off_platform")) or self._in_sentence(BYPASS, method)
        # "send it on Venmo", "حول لي على STC Pay": the service named as the way, after a preposition
        cue = cue or (None if method.ambiguous else self._way_to_pay(method))
        cue = cue or self._cancelled_here(method)
        possessive = (
            None if method.ambiguous else self._just_before("possessive", method.start) or self._mine_after(method)
        )
        attached = None if method.ambiguous else self._handle_after(method.end, strict=True)
        if not (cue or possessive or attached or pay_me) or self._on_platform(method) or self._reported(method):
            return None
        start = min([method.start, *(p.start for p in (cue, possessive) if p)])
        end = max(method.end + pay_me, cue.end if cue else 0, possessive.end if possessive else 0, attached or 0)
        if self._negated(start) or self._negated(method.start, window=1) or self._not_allowed_after(method):
            return None  # "keine Barzahlung", "el pago en efectivo no está permitido"
        return start, end, OFF_PLATFORM_PAYMENT, REASONS["payment"].format(method.brand.name)

    def off_platform(self, phrase: Phrase) -> _Span | None:
        """ "directly", "outside the site", with a contact or payment cue."""
        # or a way around the platform's cut in the same sentence: "outside the site, no fees"
        cue = self._nearby(phrase, ("contact", "pay", "call_me", "asking")) or self._in_sentence(BYPASS, phrase)
        if not cue or self._on_platform(phrase) or self._platform_after(phrase):
            return None
        start = min(cue.start, phrase.start)
        if self._negated(start):
            return None
        return start, max(cue.end, phrase.end), OFF_PLATFORM_PAYMENT, REASONS["off_platform"]

    def bypass(self, phrase: Phrase) -> _Span | None:
        if self._negated(phrase.start) or any(
            self._token_in(i, _OTHER_FEES_AFTER) for i in (phrase.end, phrase.end + 1)
        ):
            return None
        return phrase.start, phrase.end, OFF_PLATFORM_PAYMENT, REASONS["bypass"]

    def their_details(self, phrase: Phrase) -> _Span | None:
        """ "send me your number", or the bare request "your number?", "vos coordonnées svp"."""
        asking = self._cue_before("asking", phrase.start, window=3)
        bare_request = phrase.end == len(self.doc) or self._token_in(phrase.end, _POLITE)
        if not (asking or bare_request) or self._token_in(phrase.end, _OF):
            return None
        start = asking.start if asking else phrase.start
        if self._negated(start) or self._refused(phrase):
            return None
        return start, phrase.end, self._channel(phrase), REASONS["details"]

    def call_me(self, phrase: Phrase) -> _Span | None:
        """ "call me" as an imperative, opening its clause, not "he will call me"."""
        before = phrase.start - 1
        opens_clause = (
            before < 0
            or self.doc[before].is_punct
            or "\n" in self.doc[before].text
            or self._just_before("openers", phrase.start, gap=0) is not None
        )
        if not opens_clause or self._negated(phrase.start) or self._refused(phrase):
            return None
        return phrase.start, phrase.end, self._channel(phrase), REASONS["call_me"]

    def cheaper(self, phrase: Phrase) -> _Span | None:
        """ "cheaper than here", "te sale 15% más barato", "www.lab.pt, sai mais barato": a better
        price, compared with the platform or next to somewhere else to go."""
        # "moins cher qu'ici", "cheaper than here" (not "cheaper here: bit.ly/...", here being the link)
        than_here = self._token_in(phrase.end, _THAN) and self._token_in(phrase.end + 1, _HERE)
        if than_here or self._token_in(phrase.end, frozenset(("qu'ici",))):
            return phrase.start, phrase.end, OFF_PLATFORM_PAYMENT, REASONS["bypass"]
        if self._on_platform(phrase):
            return None
        # a way to pay elsewhere in the sentence: one request with it ("págame por PayPal, te hago descuento")
        rules = ((METHOD, self.method), ("off_platform", self.off_platform), (BYPASS, self.bypass))
        for label, rule in rules:
            for p in self.found[label]:
                span = self._same_sentence(p, phrase) and rule(p)
                if span:
                    return min(span[0], phrase.start), max(span[1], phrase.end), OFF_PLATFORM_PAYMENT, span[3]
        # somewhere else to go that is a finding itself, not "the WhatsApp photos"
        elsewhere = any(self.app(p) for p in self.found[APP] if self._same_sentence(p, phrase))
        first = self.sentence.index(self.sentence[phrase.start])
        words = self.doc[first : phrase.start]
        if elsewhere or "www" in words.text or "://" in words.text or self._address_after(phrase):
            return phrase.start, phrase.end, OFF_PLATFORM_PAYMENT, REASONS["bypass"]
        return None

    def _channel(self, phrase: Phrase) -> str:
        """The kind of a request for contact: e-mail when it names e-mail ("email me", "your
        mail?"), else a request to leave the platform ("call me", "your contact details")."""
        words = {token.text for token in self.doc[phrase.start : phrase.end]}
        return EMAIL if words & EMAIL_WORDS else OFF_PLATFORM_PAYMENT

    # --- evidence ------------------------------------------------------------------------

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
            gap = {t.text for t in self.doc[cue.end : app.start]}
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
            ends_clause = cue.end == len(self.doc) or self.doc[cue.end].text in _CLAUSE_ENDS + tuple(_POLITE)
            if close and ends_clause and any(t.text in PRONOUNS for t in self.doc[cue.start : cue.end]):
                return cue
            if close and cue.start == app.end and self.doc[cue.start : cue.end].text in _PREFERS:
                # better for the writer, not "easier for the dentist to show patients"
                for_whom = self._token_in(cue.end, _FOR)
                if not for_whom or self._token_in(cue.end + 1, _US):
                    return cue
        return None

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
            if o in _CANCEL_IDS and self.sentence[i] == self.sentence[target.start]:
                return Phrase("pay", i, i + 1)
        return None

    def _asked_by_others(self, start: int) -> bool:
        """Someone else asked for the writer's account, reported: "asked for my", "m'a demandé mon"."""
        return any(self._token_in(i, _ASKED) for i in (start - 1, start - 2))

    def _mine_after(self, name: Phrase) -> Phrase | None:
        """ "insta dyali", "الحساب البنكي ديالي": "my" after the name, in Darija and Egyptian."""
        if self._token_in(name.end, POSSESSIVE_AFTER):
            return Phrase("possessive", name.end, name.end + 1)
        return None

    def _same_name_after(self, app: Phrase) -> Phrase | None:
        """ "ho Viber, stesso nome", "ana f Viber b smiya dyali": the account named as the writer's own."""
        for i in range(app.end, min(len(self.doc) - 1, app.end + 3)):
            same = self.doc[i].text in _SAME and self.doc[i + 1].text in _NAME_WORDS
            mine = self.doc[i].text in _NAME_WORDS and self.doc[i + 1].text in POSSESSIVE_AFTER  # "b smiya dyali"
            if (same or mine) and self._same_sentence_at(i, app.start):
                return Phrase("contact", i, i + 2)
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
        others = self._token_in(app.end, _OF) and not self._token_in(app.end + 1, frozenset(("course",)))
        refused = any(self._token_in(i, _NEGATED_AFTER) for i in (app.end, app.end + 1))
        return (
            others
            or refused
            or self._token_in(app.end, _MEDIA)
            or (self._token_in(app.end, _HYPHEN) and self._token_in(app.end + 1, _MEDIA))
            or self._token_in(before, _MEDIA)
            or (self._token_in(before, _OF | _FROM) and self._token_in(before - 1, _MEDIA))
        )

    def _asked_to_send_there(self, app: Phrase) -> Phrase | None:
        """ "send me the photos on WhatsApp", "pásame las fotos por guasap": a request to
        send, and a preposition making the app the place to send to."""
        if not self._token_in(app.start - 1, PREPOSITIONS):
            return None
        cue = self._cue_before("asking", app.start - 1, window=_CUE_WINDOW - 1)
        return cue if cue and self.clause[cue.start] == self.clause[app.start] else None

    def _handle_after(self, end: int, strict: bool) -> int | None:
        """End of a handle or the evidence of a number joined to the name at token `end`."""
        doc, i = self.doc, end
        joined_by_colon = False
        while i < len(doc) and i - end < 2 and doc[i].text in HANDLE_JOINERS:
            joined_by_colon |= doc[i].text in (":", "=")
            i += 1
        if i >= len(doc):
            return None
        text = doc[i].text
        if _AT_HANDLE.fullmatch(text) or _ID_HANDLE.fullmatch(text):
            return i + 1
        if text == "@" and i + 1 < len(doc) and _WORD_HANDLE.fullmatch(doc[i + 1].text):
            return i + 2  # "insta is @ smile_works_lab"
        if not strict and joined_by_colon and _WORD_HANDLE.fullmatch(text):
            return i + 1
        if _NUMBER_AFTER.match(self.text, doc[end - 1].idx + len(doc[end - 1])):
            return end  # a phone number follows: the phone detector reports it
        return None

    def _handle_presented(self, app: Phrase, with_opener: bool = False) -> int | None:
        """End of an @handle presented further on in the app's sentence: "sur insta je suis
        @atelier.ceram", "auf Instagram findest du mich als @zahnwerk", "insta 👉 @lab.kim"."""
        doc = self.doc
        for i in range(app.end + 1, min(len(doc), app.end + _PRESENTED_REACH)):
            if self.sentence[i] != self.sentence[app.start]:
                return None
            before, text = doc[i - 1].text, doc[i].text
            if app.ambiguous:
                # "Follow our lab on IG for before/afters: @orion.dental.lab", nothing looser
                if before == ":" and _AT_HANDLE.fullmatch(text) and self._ends_clause(i + 1):
                    return i + 1
                continue
            if _AT_HANDLE.fullmatch(text) and (before in HANDLE_JOINERS or before == "," and self._ends_clause(i + 1)):
                return i + 1
            named = before in _NAMED_AS or (before in HANDLE_JOINERS and doc[i - 2].text in _NAMED_AS)
            after_sign = with_opener and before in (":", ",")  # "folg uns auf insta, zahnlabor_nord"
            if (named or after_sign) and (_ID_HANDLE.fullmatch(text) or _BARE_HANDLE.fullmatch(text)):
                return i + 1
            called = before in _CALLED or (before == "ich" and doc[i - 2].text in _CALLED)
            named_word = called or (with_opener and before in _NAMED_AS)
            if named_word and _WORD_HANDLE.fullmatch(text) and self._ends_clause(i + 1):
                return i + 1
        return None

    def _ends_clause(self, i: int) -> bool:
        return i >= len(self.doc) or self.doc[i].text in _CLAUSE_ENDS

    def _number_before(self, start: int) -> bool:
        idx = self.doc[start].idx
        return bool(_NUMBER_BEFORE.search(self.text, max(0, idx - 30), idx))

    def _handle_before(self, start: int, strict: bool) -> int | None:
        """ "@lab on telegram", and for unambiguous names "kim_dental on snapchat"."""
        for i in range(max(0, start - 3), start):
            text = self.doc[i].text
            is_handle = _AT_HANDLE.fullmatch(text) or (not strict and _BARE_HANDLE.fullmatch(text))
            # "I'm kasia.designs on both insta and tiktok"
            is_handle = is_handle or (not strict and i and self.doc[i - 1].text in _I_AM and _ID_HANDLE.fullmatch(text))
            if is_handle and self.sentence[i] == self.sentence[start]:
                return i
        return None

    def _negated(self, start: int, window: int = _NEGATION_WINDOW) -> bool:
        for negation in self.found["negations"]:
            if 0 <= start - negation.end <= window and self.clause[negation.start] == self.clause[start]:
                return True
        return False

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
        return not _CANCEL_IDS.isdisjoint(self.orth[max(0, i - 4) : i])

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
        return 0 <= i < len(self.doc) and self.doc[i].text in words

    def _same_sentence_at(self, i: int, j: int) -> bool:
        return self.sentence[i] == self.sentence[j]

    def _same_sentence(self, a: Phrase, b: Phrase) -> bool:
        return self.sentence[a.start] == self.sentence[b.start]
