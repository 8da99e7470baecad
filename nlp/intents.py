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

The evidence the rules weigh is read by `nlp.intent_passage` (sentences, clauses, negation,
the platform as the place), `nlp.intent_handles`, `nlp.intent_apps` and `nlp.intent_payments`.
"""

from __future__ import annotations

from collections import defaultdict

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
from nlp.intent_apps import OF, POLITE, AppEvidence
from nlp.intent_payments import PaymentEvidence
from nlp.intent_told import ToldEvidence
from nlp.lexicon import EMAIL_WORDS, PREPOSITIONS
from nlp.phrases import APP, BYPASS, METHOD, Phrase

# Fees that are not the platform's: "sin comisiones EXTRA por el cambio de color"
_OTHER_FEES_AFTER = frozenset(
    "extra extras additional supplementaires adicional adicionales adicionais aggiuntive aggiuntivi "
    "zusatzliche zusatzlichen".split()
)
# "office line 020 ...": a phone line, not the Line app.
_PHONE_LINE = frozenset("office phone land direct main fixed business work landline hot help".split())
_ME = frozenset(("me", "moi"))  # "whatsapp me", "paypal me", "whatsapp moi"
_HYPHEN = frozenset("-")
_GLUED_ME = ("apeame", "appeame")  # "guasapéame", "wasapéame": WhatsApp made a verb, "me" glued on
# "Lydia stp", "Venmo please": a payment service asked for with a courtesy word
_COURTESY = frozenset("stp svp please pls plz bitte porfa".split())
_THAN = frozenset("than que qu' als che di mn men من".split())
_HERE = frozenset("here ici aqui aca qui hier hna هنا".split())

# Titles: "appelez-moi Mme Roussel", "call me Dr Okafor" say what to call the writer, not how.
_TITLES = frozenset(
    (
        "mr mrs ms miss mister dr doc doctor prof professor m mme mlle madame monsieur mademoiselle docteur "
        "professeur maitre sr sra srta dra drs senor senora senorita don dona doctora doutor doutora senhor senhora "
        "dott dottore dottoressa signor signore signora herr frau fraulein"
    ).split()
)

# "call me crazy", "llámame loco": what the writer may be called, an idiom, not a request to phone.
_CALLED = frozenset(
    (
        "crazy old-fashioned old oldschool old-school picky paranoid pedantic lazy perfectionist cautious "
        "conservative biased sceptical skeptical fussy stubborn naive silly mad weird boring obsessive "
        "loco loca anticuado anticuada pazzo pazza antiquato antiquata louco louca antiquado antiquada fou folle"
    ).split()
)

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


class _Rules(AppEvidence, PaymentEvidence, ToldEvidence):
    # --- the rules -----------------------------------------------------------------------

    def app(self, app: Phrase) -> _Span | None:
        """An app or network named as a place to get in touch."""
        if app.ambiguous and self._token_in(app.start - 1, _PHONE_LINE):
            return None
        told = self._told_of_others(app) or self._account_lost(app)
        if (told and not self._handle_after(app.end, strict=True)) or self._video_watched(app):
            return None  # "reported the guy who wanted my WhatsApp", "my insta got hacked"
        if self._names_media(app) and not self._group_joined(app, mine=True):
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
            or self._same_name_before(app)
            or self._group_joined(app)  # "únete a mi grupo de WhatsApp de técnicos": not someone else's
        )
        if opener and opener.label == "possessive" and self._asked_by_others(opener.start):
            opener = None  # "the client asked for my WhatsApp, I said no"
        follower = None
        if not opener:
            follower = (
                None
                if app.ambiguous
                else self._contact_cue_after(app) or self._same_name_after(app) or self._same_number_after(app)
            )
            follower = follower or self._preferred_after(app) or self._alternative(app)
        handle_end = (
            self._handle_after(app.end, strict=app.ambiguous) or self._handle_presented(app) or self._id_given(app)
        )
        if app.brand.name == "Line" and handle_end == app.end:
            handle_end = None  # "the lab line is +1 646 ...": a phone line; LINE has ids
        handle_start = self._handle_before(app.start, strict=app.ambiguous)
        if handle_start is None and not app.ambiguous and self._number_before(app.start):
            handle_start = app.start  # "رقمي 0662... واتساب": the phone detector reports the number
        # "whatsapp me", "ouatsappe-moi", "guasapéame" (the pronoun glued to a Spanish verb)
        me_after = self._token_in(app.end, _ME) or (
            self._token_in(app.end, _HYPHEN) and self._token_in(app.end + 1, _ME)
        )
        as_verb = not app.ambiguous and (me_after or self.words[app.end - 1].endswith(_GLUED_ME))
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
        in_the = start == app.start and (handle_end or follower) and self._token_in(app.start - 1, frozenset(("no",)))
        if self._negated(start) and not in_the:
            return None
        reason = REASONS[app.brand.kind].format(app.brand.name)
        end = max(app.end, handle_end or 0, follower.end if follower else 0, opener.end if opener else 0)
        return start, end, app.brand.kind, reason

    def method(self, method: Phrase) -> _Span | None:
        """A payment service named as the way to pay."""
        if method.brand.after_pay and not self._just_before("pay", method.start, gap=1):
            return None
        pay_me = self._token_in(method.end, _ME) or self._token_in(method.end, _COURTESY) or self._accepted(method)
        if method.ambiguous and not pay_me and not self._token_in(method.start - 1, PREPOSITIONS):
            return None
        cue = self._nearby(method, ("pay", "off_platform")) or self._in_sentence(BYPASS, method)
        # "send it on Venmo", "حول لي على STC Pay": the service named as the way, after a preposition
        cue = cue or (None if method.ambiguous else self._way_to_pay(method))
        cue = cue or self._cancelled_here(method) or self._alternative(method)
        if method.brand.needs_cue:
            cue = cue or self._at_handover(method)
        else:
            cue = cue or self._as_a_gift(method)
        possessive = (
            None if method.ambiguous else self._just_before("possessive", method.start) or self._mine_after(method)
        )
        attached = (
            None
            if method.ambiguous
            else self._handle_after(method.end, strict=True)
            or self._number_after(method)
            or self._my_number_after(method)
        )
        if not (cue or possessive or attached or pay_me) or self._on_platform(method) or self._reported(method):
            return None
        if self._told_of_others(method) or self._account_lost(method):
            return None
        start = min([method.start, *(p.start for p in (cue, possessive) if p)])
        end = max(method.end + pay_me, cue.end if cue else 0, possessive.end if possessive else 0, attached or 0)
        if attached == method.end:
            end = method.end + pay_me  # a number follows: the phone detector reports it, the request ends before it
        refused = self._not_allowed_after(method) or bool(cue and cue.end > method.end and self._not_allowed_after(cue))
        if self._negated(start) or self._negated(method.start, window=1) or refused:
            return None  # "keine Barzahlung", "el pago en efectivo no está permitido"
        if self._turned_down(method.end, reach=3) or self._negated_at_end(method):
            return None  # "Bizum o transferencia no, solo pago por la plataforma", "PayPal mache ich nicht"
        return start, end, OFF_PLATFORM_PAYMENT, REASONS["payment"].format(method.brand.name)

    def off_platform(self, phrase: Phrase) -> _Span | None:
        """ "directly", "outside the site", with a contact or payment cue."""
        # or a way around the platform's cut in the same sentence: "outside the site, no fees"
        cue = self._nearby(phrase, ("contact", "pay", "call_me", "asking")) or self._in_sentence(BYPASS, phrase)
        if not cue or self._on_platform(phrase) or self._platform_after(phrase):
            return None
        if self._told_of_others(min(cue, phrase, key=lambda p: p.start)):
            return None  # "ho segnalato un utente che voleva pagarmi su PayPal fuori dalla piattaforma"
        start = min(cue.start, phrase.start)
        if self._negated(start) or self._negated_at_end(phrase):
            return None
        return start, max(cue.end, phrase.end), OFF_PLATFORM_PAYMENT, REASONS["off_platform"]

    def bypass(self, phrase: Phrase) -> _Span | None:
        if self._negated(phrase.start) or any(
            self._token_in(i, _OTHER_FEES_AFTER) for i in (phrase.end, phrase.end + 1)
        ):
            return None
        if self._not_allowed_after(phrase) or self._negated_at_end(phrase):
            return None  # "PayPal friends and family is not allowed here", "am Portal vorbei auch nicht"
        return phrase.start, phrase.end, OFF_PLATFORM_PAYMENT, REASONS["bypass"]

    def their_details(self, phrase: Phrase) -> _Span | None:
        """ "send me your number", or the bare request "your number?", "vos coordonnées svp"."""
        asking = self._cue_before("asking", phrase.start, window=3)
        bare_request = phrase.end == len(self.words) or self._token_in(phrase.end, POLITE)
        if not (asking or bare_request) or self._token_in(phrase.end, OF):
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
            or "\n" in self.words[before]
            or self._just_before("openers", phrase.start, gap=0) is not None
        )
        if not opens_clause or self._negated(phrase.start) or self._refused(phrase):
            return None
        if self._token_in(phrase.end, _TITLES):
            return None  # "appelez-moi Mme Roussel", "call me Dr Okafor": a name to call the writer by
        if self._token_in(phrase.end, _CALLED) or (
            self._token_in(phrase.end, frozenset(("a", "an"))) and self._token_in(phrase.end + 1, _CALLED)
        ):
            return None  # "call me crazy, but …", "call me a perfectionist"
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
                if span and label == METHOD and self._number_after(p):
                    return span  # "payez-moi par Lydia au 06 …, pas de frais": the number stays a phone finding
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
        words = set(self.words[phrase.start : phrase.end])
        return EMAIL if words & EMAIL_WORDS else OFF_PLATFORM_PAYMENT
