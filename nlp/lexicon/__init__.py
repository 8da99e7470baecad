"""Words the filter knows: per-language cues and the small word sets the rules share. Brands
(apps, networks, payment services) are in `nlp/lexicon/brands.py`, link hosts, e-mail providers
and top-level domains in `nlp/lexicon/addresses.py`.

Everything is written folded (lower case, no accents: see `nlp.normalise.fold`) except the
per-language cue phrases, which are written naturally and folded when the matchers are built.
The cues of one language live in `nlp/lexicon/<lang>.py`.
"""

from __future__ import annotations

from nlp.lexicon import ar, de, en, es, fr, it, pt
from nlp.lexicon.cues import Cues

LANGUAGES = ("en", "fr", "es", "pt", "it", "de", "ar")
# Words naming e-mail in the six languages (folded): a request that names it ("email me",
# "ton mail", "mándame un correo") is an e-mail finding, not a generic off-platform one.
EMAIL_WORDS = frozenset(
    ("email", "e-mail", "emails", "e-mails", "mail", "mails", "courriel", "mel", "correo", "correos")
)
CUES: dict[str, Cues] = {
    "en": en.CUES,
    "fr": fr.CUES,
    "es": es.CUES,
    "pt": pt.CUES,
    "it": it.CUES,
    "de": de.CUES,
    "ar": ar.CUES,
}
# Cancelling the platform's order ("cancel the order here", "ونلغي الطلب هنا"): paid elsewhere.
CANCEL_WORDS = frozenset(
    "close cancel cancels cancelled annule annulons annuler annulez cancela cancelamos cancelar cancelo annulliamo "
    "annullare annulla annulliamo stornieren storniere stornieren stornier نلغي ونلغي نلغيو ونلغيو نلغيوا ونلغيوا nlghiw nlghi".split()
)
# "my" written after the name, in Darija and Egyptian: "insta dyali", "الواتساب ديالي".
POSSESSIVE_AFTER = frozenset("dyali diali dyal dyalna dialna ديالي ديالنا تاعي بتاعي بتاعنا".split())


# Prepositions that may stand between a cue and an ambiguous name: "add me ON Line".
PREPOSITIONS = frozenset(
    "on in at via over through by with to onto "
    "sur par en a au "
    "por al "
    "no na em pelo pela pro pra "
    "su per tramite con "
    "auf uber per bei mit im am "
    "3la 3ala 3al f fi b "  # Darija and Egyptian, in Latin letters
    "على في ب عبر".split()  # and in Arabic script
)
# Object pronouns that may stand there too: "add ME on Line", "schreib MIR auf Signal".
PRONOUNS = frozenset("me moi m' mi mich mir".split())

# What joins a name to a handle: "insta: @lab", "my signal is ...", "skype id = john.d".
HANDLE_JOINERS = frozenset(
    ": = - -> > => is id handle username user name account c'est est es e ist lautet "
    "pseudo usuario utente nome sono soy sou bin suis como come als".split()
)

# An app's user id named with its word: "Signal, username lina.42", "Threema-ID: 7XK2M9PD",
# "mi ID de Threema es ...", "اليوزر @lab".
APP_ID_WORDS = frozenset(
    "id ids username user userid usuario usuaria utente nutzername benutzername nutzer pseudo utilisateur "
    "identifiant identificativo kennung اليوزر يوزر يوزرنيم".split()
)
# The writer's number reused on an app: "Viber has the same number as my lab", "mesmo número da clínica".
NUMBER_WORDS = frozenset("number numero nummer numer nemra nmra ra9m raqm رقم الرقم نمرة النمرة".split())
# "the same" in the seven languages (folded), for "same number" and "same name" after an app.
SAME_WORDS = frozenset(
    "same meme mismo misma mesmo mesma stesso stessa gleiche gleicher gleichen selbe selben denselben dieselbe derselbe nfs nafs نفس بنفس".split()
)
# Joining the writer's group or channel on an app: "join our WhatsApp group", "únete a mi grupo de
# WhatsApp", "tritt unserer Telegram-Gruppe bei", "tdkhol l groupe dyal l watsab".
JOIN_WORDS = frozenset(
    "join joining rejoins rejoignez rejoindre rejoint entre entrez entra entrar entrem entrate unete unanse unirte "
    "unisciti unitevi tritt tretet beitreten dkhol tdkhol dkhlo odkhol انضم انضمي انضموا ادخل دخل تدخل".split()
)
# The group or channel joined there.
GROUP_WORDS = frozenset(
    "group groups groupe grupo gruppo gruppe channel canal canale kanal chat community communaute comunidad "
    "comunita".split()
) | frozenset(ar.with_articles("جروب", "قروب", "مجموعة", "قناة"))
# Saying an app is the better way, right after its name: "Signal c'est mieux", "zapzap é melhor".
PREFERRED = frozenset(
    "better best mieux mejor melhor meglio besser quicker faster easier simpler simple facile facil rapide rapido veloce schneller "
    "einfacher a7san a7ssan ahsan asra3 أحسن احسن أسرع اسرع".split()
)
# "or" between two names offered as a choice: "Telegram or Viber", "imo wala viber".
OR_WORDS = frozenset("or ou o oder wla wala ola ولا او أو".split())
# Handing the work over, which cash is paid at: "contanti alla consegna", "bar bei Abholung",
# "cash when you pick up", "cash mnin tji" (when you come).
HANDOVER_WORDS = frozenset(
    "delivery pickup pick collect collection livraison livre recuperes recuperer recuperation consegna ritiri "
    "ritiro ritira ritirare abholung abholst abholen ubergabe lieferung entrega recoger recojas retiras retirar "
    "buscar tji tjib tjibi تيجي تجي تستلم".split()
)
# PayPal's "friends and family", which skips the buyer's protection and the fees: paid as a gift.
FRIENDS_WORDS = frozenset("friends amis proches amigos amici parenti freunde familie famille family familia".split())
