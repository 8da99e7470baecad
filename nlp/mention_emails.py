"""Mention rules for e-mail addresses given by implication, and reversed addresses.

"my gmail is my username here", "gmail -> crownking77", "my full name at gmail", "hans.m bei
gmx", RFC-quoted local parts ("\"john smith\"@example.org"), addresses at an IP literal, the
same in Arabic script, and addresses written backwards ("moc.liamg@kaz.bob").
"""

from __future__ import annotations

import re

from nlp.alternation import word_alternation
from nlp.findings import EMAIL, Hit
from nlp.lexicon.addresses import EMAIL_PROVIDERS, MAILBOX_SERVICES, TLDS
from nlp.mention_words import MY, NAME, SPOKEN_DOT, Rule

_MAIL = (
    r"(?:gmail|hotmail|outlook|yahoo|icloud|proton(?:mail)?|gmx|e-?mail-?adresse|mailadresse|e-?mail|mail|courriel|"
    r"correo|adresse|endereco|indirizzo|posta)"
)
_IS = r"(?:is|=|c'est|c est|est|es|ist|e|lautet|sera)"
_SERVICES = "|".join(re.escape(s) for s in MAILBOX_SERVICES)
_PROVIDERS = "|".join(re.escape(s) for s in EMAIL_PROVIDERS)

# Mailbox services whose names are inside many words ("continue", "online", "symbol").
_COMMON_SUBSTRINGS = frozenset(("live", "tin", "bol", "terra", "o2", "163", "qq", "sfr", "msn"))
_HERE = r"(?:di qui|de aqui|d'ici|here|ici|aqui|daqui|qui|hier|hna|هنا)"
_FULL_NAME = (
    r"(?:prenom nom|prenom\.nom|first name last name|firstname lastname|first\.last|nombre apellido|"
    r"nome cognome|nome sobrenome|vorname nachname)"
)

# The writer's whole name as the mailbox: "full name", or first and last name joined ("nome e
# cognome", "Vorname Punkt Nachname", "smiya w l kniya"), then a few words ("attaccati", "todo
# junto", "sem espaço") and the provider: "nome e cognome attaccati su tiscali".
_WHOLE_NAME = (
    r"full name|nom complet|prenom nom|nombre completo|nome completo|vollen namen|voller name|vollstandiger name"
    r"|(?:first ?name|first|primeiro|name|nom|prenom|nombre|nome|vorname|vor-|smiya|smia|ismi|esmi)(?:\s+dyali)?"
    r"\s*(?:and|et|y|e|und|w|o|&|\+|punkt|point|dot|punto|ponto|\.|-|_)\s*(?:l\s*|(?:the|o|il)\s+)?"
    r"(?:last ?name|surname|family name|nom(?: de famille)?|prenom|apellidos?|cognome|sobrenome|nachname|kniya|lknya"
    r"|ultimo nome)"
)
_ARABIC_DOT = r"\s+(?:دوت|نقطة)\s+(?:كوم|نت|com|net|org|fr|ma|eg|sa|de|es|it|pt)"
# An address given in two parts: its start after a word saying so ("ça commence par m.benali", "der
# Anfang ist t.schuster.cad"), then its domain alone ("la fin c'est @free.fr") or, after a word that
# goes on, its provider ("and then it's hotmail").
_STARTS = (
    "starts with",
    "begins with",
    "first bit is",
    "first part is",
    "commence par",
    "debut c'est",
    "empieza por",
    "empieza con",
    "comienza por",
    "comienza con",
    "comeca com",
    "comeca por",
    "inizia con",
    "inizia per",
    "comincia con",
    "comincia per",
    "fangt mit",
    "beginnt mit",
    "anfang ist",
    "kaybda b",
    "katbda b",
    "يبدا ب",
    "بيبدا ب",
    "يبدا بـ",  # (with the stretching "ـ")
)
_GOES_ON = (
    r"rest|then|end|ending|fin|suite|resto|final|fim|termina|dahinter|danach|dann|after|apres|depois|dopo|poi|"
    r"luego|despues|lba9i|الباقي|باقي|والباقي"
)
_NOT_IN_WORD = r"(?<!\w.)"
_FILE = r"(?!\S*\.(?:stl|ply|obj|zip|rar|pdf|jpe?g|png|dcm|3mf|stp|step)\b)"
_SPLIT_ADDRESS = (
    word_alternation(_STARTS, after_first=_NOT_IN_WORD) + rf"\W{{0,4}}{_FILE}"
    # (a name, not a version: "starts with v2.3 of the software")
    r"(?=[a-z0-9._-]*[._\d])(?=[a-z0-9._-]*[a-z]{3})[a-z][a-z0-9._-]*[a-z0-9](?![\w@])"
    rf"(?:[^@\n]{{0,50}}?(?<![\w.])@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{'|'.join(TLDS)})\b"
    rf"|[^@\n]{{0,40}}?\b(?:{_GOES_ON})\b[^@\n]{{0,25}}?\b(?:{_PROVIDERS}|(?:ال)?(?:جيميل|هوتميل|ياهو))\b)"
)

# e-mail by implication
IMPLIED_EMAILS: tuple[Rule, ...] = (
    (
        (_STARTS, ("@", *EMAIL_PROVIDERS, "جيميل", "هوتميل", "ياهو")),
        re.compile(_SPLIT_ADDRESS),
        EMAIL,
        "Looks like an e-mail address given in two parts",
    ),
    # the name used here, at a provider: "il mio nome utente di qui su gmail", "nafs l username dyali hna
    # 3la gmail"
    (
        ("gmail", "hotmail", "outlook", "yahoo", "icloud", "proton", "gmx", "libero", "orange", "web.de"),
        re.compile(
            rf"(?:{MY}\s+|(?:nafs\s+)?l\s+){NAME}(?:\s+(?:utente|d'utilisateur|de usuario))?\s+(?:dyali\s+)?"
            rf"{_HERE}\s+(?:at|on|chez|sur|en|em|no|bei|su|@|3la|f)\s+(?:{_SERVICES})"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    # the writer's full name as the mailbox: "mon gmail, c'est prenom nom tout attache"
    (
        ("gmail", "hotmail", "outlook", "yahoo", "icloud", "proton", "gmx"),
        re.compile(
            rf"{MY}\s+(?:gmail|hotmail|outlook|yahoo|icloud|proton(?:mail)?|gmx)\s*[:,]?\s*(?:{_IS}\s+)?"
            rf"(?:{MY}\s+)?{_FULL_NAME}"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    (
        (
            ("same", "meme", "mismo", "misma", "mesmo", "mesma", "stess", "gleich"),
            ("mail", "adresse", "address", "correo", "direccion", "endereco", "indirizzo"),
        ),
        re.compile(
            r"(?:same|meme|mism[oa]|mesm[oa]|stess[oa]|gleiche[rn]?)\s+(?:e-?mail|mail|adresse|address|"
            r"correo|direccion|endereco|indirizzo)\s+(?:as|que|wie|come|como|do que)\s+"
            rf"{MY}\s+{NAME}"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    (
        ("mail", "correo", "adresse", "endereco", "indirizzo", "posta", "outlook", "yahoo", "icloud", "proton", "gmx"),
        re.compile(
            rf"{MY}\s+{_MAIL}\s+(?:\S+\s+){{0,2}}?{_IS}\s+(?:\S+\s+){{0,5}}?"
            rf"(?:{MY}\s+)?(?:\S+\s+)?{NAME}(?:\s+(?:here|ici|aqui|qui|hier|daqui))?"
            # and the provider it is at: "... mein Name hier bei web.de"
            rf"(?:\s+(?:at|on|chez|sur|en|em|no|bei|su|@)\s+(?:{_SERVICES}))?"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    (
        ("gmail", "hotmail", "outlook", "yahoo", "icloud", "proton", "gmx"),
        re.compile(
            rf"(?<![a-z]){MY}\s+(?:gmail|hotmail|outlook|yahoo|icloud|proton(?:mail)?|gmx)\s*[:,]?\s*"
            r"(?:is|it's|its|it is|=|c'est|es|e|ist|lautet|sera)?\s*"
            r"(?=[a-z0-9._-]*[._\d])[a-z][a-z0-9._-]{2,}[a-z0-9]"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    # a mailbox "on" a provider, its domain spelled out: "atelierdubois sur hotmail point com"
    (
        (
            (" sur ", " on ", " en ", " em ", " su ", " auf "),
            ("point", "dot", "punto", "ponto", "punkt"),
            EMAIL_PROVIDERS,
        ),
        re.compile(
            rf"(?<![\w.])[a-z][a-z0-9._-]{{2,}}\s+(?:sur|on|en|em|su|auf)\s+(?:{_PROVIDERS}){SPOKEN_DOT}"
            rf"(?:{'|'.join(TLDS)})\b"
        ),
        EMAIL,
        "Looks like an e-mail address",
    ),
    (
        (" bei ",),
        re.compile(
            rf"(?<![\w.])(?=[a-z0-9._-]*[._\d])[a-z][a-z0-9._-]{{2,}}\s+bei\s+(?:{_SERVICES})(?:{SPOKEN_DOT}[a-z]{{2,3}})?\b"
        ),
        EMAIL,
        "Looks like an e-mail address",
    ),
    (
        ("name", "nom", "nombre", "nome", "smiya", "smia", "ismi", "esmi"),  # "prenom", "vorname" too
        re.compile(
            rf"(?:{_WHOLE_NAME})\W+(?:\S+\s+){{0,3}}?"
            rf"(?:at|chez|en|em|no|bei|su|@|sur|f|3la|on|auf)\s+(?:{_SERVICES})\b"
            # the name itself after a colon, then the provider alone: "last name: harriet walsh, outlook."
            rf"|(?:{_WHOLE_NAME})[^:.!?\n]{{0,30}}:\s*[a-z]+(?:\s+[a-z]+){{0,2}},\s*"
            rf"(?:(?:at|chez|en|em|no|bei|su|sur|on|auf)\s+)?(?:{_SERVICES})(?=\s*(?:$|[.;!?]))"
            # "my work email is my first name at the lab's domain, orionlab.com"
            r"|(?:first name|firstname|prenom|vorname|nombre de pila|surname|last name)\s+(?:at|chez|bei|@|arroba)\s+"
            rf"(?:\S+\s+){{0,4}}?(?:[a-z0-9-]+\.)+(?:{'|'.join(TLDS)})\b"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    (
        (
            "->",
            "=>",
            ">",
            "gmail",
            "hotmail",
            "outlook",
            "yahoo",
            "gmx",
            "libero",
            "icloud",
            "proton",
            "yandex",
            "orange",
            "laposte",
            "virgilio",
            "wanadoo",
            "tiscali",
            "aol",
            "msn",
        ),
        # "gmx -> hans.m", "orange: luc.b"; and after a comma, "hotmail, sorrisosp2020", "outlook,
        # usuario marta.cad" (with a digit, dot or underscore in the name)
        re.compile(
            rf"(?<![\w.])(?:{_SERVICES})(?:\s*(?:->|=>|>|:)\s*[a-z0-9][a-z0-9._-]{{2,}}"
            r"|(?:\.[a-z]{2,3})?\s*,\s*(?:(?:usuario|user|utente|c'est|smiti|es|e|soy|sou|sono|bin|ana)\s+)?"
            r"(?=[a-z0-9._-]*[._\d])[a-z][a-z0-9._-]{2,}[a-z0-9](?![\w@.-]))"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    (
        ('"@', '" @'),
        re.compile(r"\"[^\"\n@]{1,64}\"\s?@\s?[a-z0-9-]+(?:\.[a-z0-9-]+)+"),
        EMAIL,
        "Looks like an e-mail address",
    ),
    # "at" and "dot" spelled in Arabic letters: "hoda.samir آت ياهو دوت كوم", "info ات elmasrylab دوت كوم"
    (
        (" ات ",),
        re.compile(
            r"(?<![\w.@])(?=[a-z0-9._-]*[a-z])[a-z0-9][a-z0-9._-]*\s+ات\s+"
            # a provider, its domain spelled or not, or any domain spelled: not "التاج 21 ات a2"
            rf"(?:(?:{_PROVIDERS}|جيميل|ياهو|هوتميل|اوتلوك)(?:{_ARABIC_DOT})?|[a-z0-9-]{{2,}}{_ARABIC_DOT})(?!\w)"
        ),
        EMAIL,
        "Looks like an e-mail address",
    ),
    (("@[",), re.compile(r"[a-z0-9._%+-]+@\[\d{1,3}(?:\.\d{1,3}){3}\]"), EMAIL, "Looks like an e-mail address"),
    # in Arabic script: "smilelab جيميل", "الجيميل ديالي هو نفس اليوزر ديالي هنا"
    (
        ("جيميل", "هوتميل", "ايميل"),
        re.compile(
            # ("at" written in Arabic letters too: "mohamed.cad ات جيميل دوت كوم")
            r"(?<![\w.])[a-z][a-z0-9._-]{2,}\s+(?:(?:على|في|ف|f|3la|ات)\s+)?(?:ال)?(?:جيميل|هوتميل)"
            r"|(?:ال)?(?:جيميل|هوتميل|ايميل)\S*\s+(?:\S+\s+){0,3}?(?:نفس\s+)?(?:ال)?(?:اسم|يوزر|سمية)"
            r"|(?:ال)?(?:جيميل|هوتميل)\s*[:،,]\s*[a-z][a-z0-9._-]{2,}"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    # Gmail as "the big G": "olivernakamura at the big G mail", "il mio nome senza spazi sulla G grande:
    # albertomoretti" (not "I found you on the big G")
    (
        ("big g", "g grande", "grossen g", "gros g", "grand g"),
        re.compile(
            r"(?<![\w.])[a-z0-9][a-z0-9._-]{2,}\s+(?:at|@|chez|bei|su|en|no|na)\s+(?:the\s+|le\s+|la\s+|el\s+|o\s+)?"
            r"(?:(?:big|grand|gros|grande|grossen?)\s+g\b|g\s+grande?\b)(?:\s*-?\s*mail)?"
            rf"|(?:{_MAIL}|{NAME})\b[^.!?\n]{{0,40}}?\b(?:sulla|sur le|beim|bei|en la|na|no|at the|on the)\s+"
            r"(?:g\s+grande|(?:grossen|gros|grand|grande|big)\s+g)\s*:\s*[a-z0-9][a-z0-9._-]{2,}"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    # an address with its "@" and dots written as symbols the normalised text no longer has:
    # "sophie ⚫ lemaire 🌀 orange ⚫ fr", "jess🔹moreno🌀protonmail🔹com" (a first and last name,
    # a provider, its domain; not "I moved from yahoo com")
    (
        # (hints: the services whose names are rarely inside other words, "web" before "de")
        (tuple(s for s in (*MAILBOX_SERVICES, " web ") if s not in _COMMON_SUBSTRINGS),),
        re.compile(
            r"(?<![\w@.-])[a-z][a-z0-9]*\s+(?:[a-z][a-z0-9]*\s+)?"
            r"(?!(?:from|with|to|use|uso|via|per|par|chez|con|de|do|da|em|no|na|auf|bei|mit|su|in|at|on|en)\s)"
            rf"[a-z][a-z0-9]*\s+(?:{_SERVICES}|web(?=\s+de\b))\s+(?:{'|'.join(TLDS)})(?:\s+(?:{'|'.join(TLDS)}))?"
            r"(?=\s*(?:$|[(\[,;!?)]|\.(?:\s|$)))"
        ),
        EMAIL,
        "Looks like an e-mail address",
    ),
)

_AT_TOKEN = re.compile(r"[a-z0-9._%+-]+@[a-z0-9._-]+")
_FORWARD_EMAIL = re.compile(rf"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{'|'.join(TLDS)})")


def backwards_email_hits(text: str) -> list[Hit]:
    """Addresses written backwards ("moc.liamg@kaz.bob"), in normalised text."""
    hits = []
    if "@" in text:
        for match in _AT_TOKEN.finditer(text):
            if _FORWARD_EMAIL.fullmatch(match.group()[::-1]) and not _FORWARD_EMAIL.fullmatch(match.group()):
                hits.append(Hit(EMAIL, match.start(), match.end(), "Looks like an e-mail address written backwards"))
    return hits
