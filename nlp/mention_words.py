"""Words the mention rules of several kinds share, and the shape of a rule.

The rule tables (`nlp.mention_accounts`, `nlp.mention_emails`, `nlp.mention_links`,
`nlp.mention_calls`) each keep the words only they use; the possessives, the words for a
user name and the spoken dot are read by more than one kind, so they live here once.
"""

from __future__ import annotations

import re

# Each rule: substrings one of which the text must contain before its pattern is run (or
# groups of them, one of each group), the pattern, the kind and reason of its findings.
Rule = tuple[tuple | re.Pattern, re.Pattern, str, str]

MY = r"(?:my|mon|ma|mi|meine?|meu|minha|la mia|il mio|notre|nuestro|unsere?)"
# The writer's own, in any form, for a thing said to be theirs further on ("the QR code on my card");
# Italian "ma" (but) is told from French "ma" by the word after it.
WRITERS = (
    r"(?:my|mine|our|mon|ma(?!\s+(?:prima|poi|non|se|anche|il|lo|la|i|gli|le|per|che|e|io)\b)|mes|notre|nos|"
    r"mi|mis|nuestr[oa]s?|meu|meus|minha|minhas|nosso|nossa|mio|mia|miei|mie|nostr[oaie]|"
    r"mein|meine[mnrs]?|unser\w*|dyali|dyalna|ديالي|ديالنا)"
)
NAME = (
    r"(?:(?:user)?name|username|handle|pseudo|nom|prenom|nombre|usuario|nome|utente|"
    r"benutzername|nick(?:name)?|profil(?:e)?|perfil)"
)
SPOKEN_DOT = r"(?:\s+(?:dot|point|punto|ponto|punkt)\s+|\s\.\s)"

# An account said to be hacked, cloned, stolen or closed ("my instagram got hacked", "mi hanno
# clonato il profilo instagram"): a warning, not an invitation (issue #17). Lowercased, accents
# stripped, as `nlp.normalise` leaves the text.
LOST_ACCOUNT_WORDS = frozenset(
    (
        "hacked hijacked cloned stolen compromised closed deleted banned suspended hacke hackee pirate piratee "
        "clone clonee vole ferme supprime hackeado hackeada clonado clonada robado robada cerrado cerrada "
        "eliminado eliminada suspendido invadido invadida roubado roubada fechado fechada hackerato hackerata "
        "clonato clonata rubato rubata chiuso chiusa eliminato sospeso gehackt geklont gestohlen gesperrt "
        "clonaron hackearon robaron cerraron clonaram hackearam roubaram fecharam hackt klonte "
        "geloscht tsra9 tkhaker thaker t'hacka tsre9 اتهكر تهكر اتسرق تسرق انسرق مسروق اتقفل تقفل مهكر"
    ).split()
)
# Someone else asking for or wanting something of the writer: "the client asked for my WhatsApp",
# "il voulait me payer par virement", "er wollte per PayPal zahlen".
ASKED_WORDS = frozenset(
    "asked wanted requested demande demandait voulait pidio queria pediu pediram chiesto voleva wollte "
    "wollten gefragt verlangt طلب طلبت".split()
)
LOST_ACCOUNT = re.compile(
    r"(?<![\w'])(?:" + "|".join(sorted(LOST_ACCOUNT_WORDS, key=len, reverse=True)) + r")(?![\w'])"
)
LOST_REACH = 30  # characters around a page named without a handle searched for such a word
