"""Contact given without an address: what people write when they know addresses are caught.

Each rule is one regular expression over the normalised text, compiled at import:

- handles: reddit "u/name", "same handle on every network", a business page or profile
  named without a link ("FB page: Bright Arch Studio", "page Facebook Labo Orion");
- e-mail by implication: "my gmail is my username here", "gmail -> crownking77", "my full
  name at gmail", reversed addresses ("moc.liamg@kaz.bob"), RFC-quoted local parts
  ("\"john smith\"@example.org");
- links that lead off the platform without a domain of their own: link-in-bio and
  short-link services (linktr.ee, bit.ly, g.page), "link in bio", a QR code to scan;
- Skype ids ("live:.cid.7f3a...").

Languages: English, French, Spanish, Portuguese, Italian and German, and e-mail words in
Russian ("собака", "точка" are read by `nlp.emails`).
"""

from __future__ import annotations

import re

from nlp.alternation import Substrings
from nlp.findings import EMAIL, MESSAGING_APP, PHONE, SOCIAL, URL, Hit
from nlp.lexicon import MAILBOX_SERVICES, SHORT_LINK_HOSTS, TLDS

_MY = r"(?:my|mon|ma|mi|meine?|meu|minha|la mia|il mio|notre|nuestro|unsere?)"
_MAIL = (
    r"(?:gmail|hotmail|outlook|yahoo|icloud|proton(?:mail)?|gmx|e-?mail-?adresse|mailadresse|e-?mail|mail|courriel|"
    r"correo|adresse|endereco|indirizzo|posta)"
)
_IS = r"(?:is|=|c'est|c est|est|es|ist|e|lautet|sera)"
_NAME = (
    r"(?:(?:user)?name|username|handle|pseudo|nom|prenom|nombre|usuario|nome|utente|"
    r"benutzername|nick(?:name)?|profil(?:e)?|perfil)"
)
_EVERYWHERE = (
    r"(?:everywhere|every (?:network|platform|app|site)|all (?:networks|platforms|"
    r"socials|the socials|apps)|partout|tous les reseaux|toutes les plateformes|"
    r"todas (?:las|as) redes|todas partes|(?:em )?todo lugar|tutti i social|"
    r"(?:su )?tutte le piattaforme|ovunque|uberall|allen (?:netzwerken|plattformen))"
)
_SPOKEN_DOT = r"(?:\s+(?:dot|point|punto|ponto|punkt)\s+|\s\.\s)"
_SERVICES = "|".join(re.escape(s) for s in MAILBOX_SERVICES)
_SOCIAL = r"(?:facebook|fb|linkedin|instagram|insta|tiktok|youtube|xing)"
_PAGE = r"(?:page|pagina|seite|profil|profile|perfil|profilo|channel|chaine|canal|canale|kanal)"

# Each rule: substrings one of which the text must contain before its pattern is run (or
# groups of them, one of each group), the pattern, the kind and reason of its findings.
_RULES: tuple[tuple[tuple, re.Pattern, str, str], ...] = (
    # handles
    (("u/",), re.compile(r"(?<![\w/.])u/[a-z0-9_-]{3,20}\b"), SOCIAL, "Points to an account on Reddit"),
    (
        ("same", "meme", "mismo", "mesmo", "stesso", "gleich"),
        re.compile(
            r"(?:same|meme|mismo|mesmo|stesso|gleiche[rn]?|le meme|el mismo|o mesmo|lo stesso)"
            rf"\s+{_NAME}\s+(?:\S+\s+){{0,3}}?{_EVERYWHERE}"
        ),
        SOCIAL,
        "Points to the same account on other networks",
    ),
    (
        ("page", "pagina", "seite", "profil", "perfil", "channel", "chaine", "canal", "kanal"),
        re.compile(
            rf"(?:{_SOCIAL}[\s-]*{_PAGE}|{_PAGE}\s+(?:(?:de|do|da|on|sur)\s+)?{_SOCIAL})"
            # the page's name, not the next clause ("page Facebook, mais je préfère ...")
            r"\s*[:,-]?\s*(?!(?:mais|but|pero|mas|ma|aber|and|et|y|e|und|or|ou|o|oder)\b)"
            r"[a-z][\w'&.-]*(?:\s+[a-z][\w'&.-]*){0,3}"
        ),
        SOCIAL,
        "Points to a page on a social network",
    ),
    (
        ("@",),
        re.compile(
            r"(?:i'm|i am|im|je suis|moi c'est|soy|sou|sono|ich bin)\s+@[a-z0-9_][a-z0-9_.]+\s+"
            rf"(?:(?:on|sur|en|em|su|auf)\s+)?{_EVERYWHERE}"
        ),
        SOCIAL,
        "Points to the same account on other networks",
    ),
    (
        (
            ("facebook", "fb", "linkedin", "insta", "tiktok", "xing"),
            (
                "search",
                "look",
                "cherche",
                "busca",
                "procura",
                "cerca",
                "such",
                "googl",
                "tape",
                "type",
                "digita",
                "escribe",
            ),
        ),
        re.compile(
            r"(?:search(?: for)?|look (?:for|up)|(?:re)?cherche(?:[rz]|-(?:moi|nous))?|"
            r"busca(?:[dr]|me|nos)?|procura(?:[r]|-me|-nos)?|cerca(?:re|te|mi|ci)?|such(?:e|t)?(?: mal)? nach|googl\w*|"
            r"tape[rz]?|type|digita|escribe)\s+"
            # what is looked for is a name, not videos or photos of a technique
            r"(?!(?:\S+\s+){0,3}?(?:videos?|tutorials?|photos?|pictures?|posts?|fotos?|reels?)\b)"
            r"(?:(?:\S+\s+){1,4}?(?:on|sur|en|no|na|su|auf|bei)\s+(?:facebook|fb|linkedin|instagram|insta|tiktok|xing)\b"
            # "búscanos en Facebook como Dental Lab Sonrisa"
            r"|(?:on|sur|en|no|na|su|auf|bei)\s+(?:facebook|fb|linkedin|instagram|insta|tiktok|xing)\s+"
            r"(?:as|comme|como|come|unter|als)\s+[a-z][\w'&.-]*(?:\s+[a-z][\w'&.-]*){0,3})"
        ),
        SOCIAL,
        "Points to an account on a social network",
    ),
    # e-mail by implication
    (
        (
            ("same", "meme", "mismo", "misma", "mesmo", "mesma", "stess", "gleich"),
            ("mail", "adresse", "address", "correo", "direccion", "endereco", "indirizzo"),
        ),
        re.compile(
            r"(?:same|meme|mism[oa]|mesm[oa]|stess[oa]|gleiche[rn]?)\s+(?:e-?mail|mail|adresse|address|"
            r"correo|direccion|endereco|indirizzo)\s+(?:as|que|wie|come|como|do que)\s+"
            rf"{_MY}\s+{_NAME}"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    (
        ("mail", "correo", "adresse", "endereco", "indirizzo", "posta", "outlook", "yahoo", "icloud", "proton", "gmx"),
        re.compile(
            rf"{_MY}\s+{_MAIL}\s+(?:\S+\s+){{0,2}}?{_IS}\s+(?:\S+\s+){{0,5}}?"
            rf"(?:{_MY}\s+)?(?:\S+\s+)?{_NAME}(?:\s+(?:here|ici|aqui|qui|hier|daqui))?"
            # and the provider it is at: "... mein Name hier bei web.de"
            rf"(?:\s+(?:at|on|chez|sur|en|em|no|bei|su|@)\s+(?:{_SERVICES}))?"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    (
        ("gmail", "hotmail", "outlook", "yahoo", "icloud", "proton", "gmx"),
        re.compile(
            rf"(?<![a-z]){_MY}\s+(?:gmail|hotmail|outlook|yahoo|icloud|proton(?:mail)?|gmx)\s*[:,]?\s*"
            r"(?:is|it's|its|it is|=|c'est|es|e|ist|lautet|sera)?\s*"
            r"(?=[a-z0-9._-]*[._\d])[a-z][a-z0-9._-]{2,}[a-z0-9]"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    (
        (" bei ",),
        re.compile(
            rf"(?<![\w.])(?=[a-z0-9._-]*[._\d])[a-z][a-z0-9._-]{{2,}}\s+bei\s+(?:{_SERVICES})(?:{_SPOKEN_DOT}[a-z]{{2,3}})?\b"
        ),
        EMAIL,
        "Looks like an e-mail address",
    ),
    (
        ("name", "nom", "nombre", "nome"),  # "prenom", "vorname" too
        re.compile(
            r"(?:full name|nom complet|prenom nom|nombre completo|nome completo|"
            r"vollen namen|voller name|vollstandiger name)\s+(?:\S+\s+){0,1}?"
            r"(?:at|chez|en|em|no|bei|su|@|sur)\s+(?:gmail|hotmail|outlook|yahoo|icloud|"
            r"gmx|web\.de|libero|orange|proton(?:mail)?)"
            # "my work email is my first name at the lab's domain, orionlab.com"
            r"|(?:first name|firstname|prenom|vorname|nombre de pila)\s+(?:at|chez|bei|@|arroba)\s+"
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
        ),
        re.compile(rf"(?<![\w.])(?:{_SERVICES})\s*(?:->|=>|>|:)\s*[a-z0-9][a-z0-9._-]{{2,}}"),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
    (
        ('"@', '" @'),
        re.compile(r"\"[^\"\n@]{1,64}\"\s?@\s?[a-z0-9-]+(?:\.[a-z0-9-]+)+"),
        EMAIL,
        "Looks like an e-mail address",
    ),
    (("@[",), re.compile(r"[a-z0-9._%+-]+@\[\d{1,3}(?:\.\d{1,3}){3}\]"), EMAIL, "Looks like an e-mail address"),
    # links without an address of their own
    (
        SHORT_LINK_HOSTS,
        re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(h) for h in SHORT_LINK_HOSTS) + r")(?:/[^\s<>\"']*)?"),
        URL,
        "Links to a site outside the platform",
    ),
    (
        ("bio", "profil"),
        re.compile(
            r"(?:link|lien|enlace|liga)\s+(?:(?:is|est|esta|e|ist|sta|ta|se trouve)\s+)?(?:in|en|na|de|da|nella|im|in der|dans|dans la|"
            r"dans ma|en la|en mi|no|in my|in the|on my)\s*(?:(?:la|ma|mi|my|minha|meiner|meine|mia|sua|tua)\s+)?"
            r"bio\b|link\s+im\s+profil"
        ),
        URL,
        "Points to a link outside the platform",
    ),
    (
        ("qr",),
        re.compile(
            r"(?:scan|scanne[zr]?|flashe[zr]?|escane[ae]|escaneie|scann|scannen|inquadra|"
            r"leggi|lee|leia|use|utilise|usa)\w*\s+(?!(?:\S+\s+){0,2}?(?:udi|gs1|lot|lote|lotto|datamatrix)\b)"
            r"(?:\S+\s+){0,2}?(?:qr|qr-code|qrcode)(?:[\s-]?code|[\s-]?codigo|[\s-]?codice)?"
            # the code on a product's box or label is the product's own
            r"(?!\s+(?:\S+\s+){0,3}?(?:box|label|boite|etiquette|caja|etiqueta|caixa|scatola|etichetta|packung|etikett)\b)"
        ),
        URL,
        "Points to a QR code that leads outside the platform",
    ),
    (
        ("qr",),
        re.compile(
            rf"{_MY}\s+(?:qr|qr-code|qrcode)\b"
            r"|(?:qr|qr-code|qrcode)\W+(?:\w+\W+){0,3}?(?:para que me|para me|pra me|to reach me|to contact me|"
            r"to write me|to find me|pour me|per contattarmi|per scrivermi|damit du mich)"
        ),
        URL,
        "Points to a QR code that leads outside the platform",
    ),
    # a domain spelled out with a top-level domain that is also a word ("odontoluca punto it"),
    # after words that present a site
    (
        (
            ("point", "punto", "ponto", "punkt", "dot", " . ", ","),
            (
                "site",
                "web",
                "sito",
                "sitio",
                "blog",
                "homepage",
                "portfolio",
                "work",
                "travaux",
                "trabajos",
                "lavori",
                "arbeiten",
                "trabalhos",
                "check out",
                "visit",
                "regarde",
                "mira",
                "guarda",
                "schau",
                "acessa",
                "entra",
            ),
        ),
        re.compile(
            rf"(?<![a-z])(?:{_MY}\s+(?:web ?site|site|web|sitio(?: web)?|pagina web|sito(?: web)?|webseite|homepage|blog|"
            r"portfolio|work|travaux|trabajos|lavori|arbeiten|trabalhos)|check out|visit|regarde|visite[rz]?|"
            r"mira|visita|guarda|schau|acessa|entra)(?:\s*[:=-])?(?:\s+\S+){0,4}?\s*[:=-]?\s+"
            rf"[a-z0-9-]{{3,}}(?:{_SPOKEN_DOT}[a-z0-9-]+)*(?:{_SPOKEN_DOT}|,)(?:{'|'.join(TLDS)})(?=\s*(?:$|[,.;!?)/]))"
        ),
        URL,
        "Links to a site outside the platform",
    ),
    # a hyphenated name with a spelled-out dot: "zahn-design-berlin dot de"
    (
        (("point", "punto", "ponto", "punkt", "dot"), ("-",)),
        re.compile(
            rf"(?<![\w@.-])[a-z0-9]+(?:-[a-z0-9]+)+(?:{_SPOKEN_DOT}[a-z0-9-]+)*{_SPOKEN_DOT}(?:{'|'.join(TLDS)})"
            r"(?=\s*(?:$|[,.;!?)/]))"
        ),
        URL,
        "Links to a site outside the platform",
    ),
    # a spelled-out domain followed by a spelled-out path: "auroralab punto it slash listino"
    (
        (("point", "punto", "ponto", "punkt", "dot"), ("slash", "barra", "barre")),
        re.compile(
            rf"(?<![\w@.-])[a-z0-9-]{{3,}}(?:{_SPOKEN_DOT}[a-z0-9-]+)*{_SPOKEN_DOT}(?:{'|'.join(TLDS)})"
            r"(?=\s+(?:slash|barra|barre)\b)"
        ),
        URL,
        "Links to a site outside the platform",
    ),
    (
        ("linktree", "beacons", "taplink", "carrd"),
        re.compile(rf"{_MY}\s+(?:linktree|beacons|taplink|carrd)\b"),
        URL,
        "Points to a link outside the platform",
    ),
    # short local numbers right after a phone cue: "call 555 0123", "mon fixe: 71 23 45"
    (
        ("call", "ring", "tel", "phone", "fixe", "appelle", "llama", "ruf", "chiama", "liga", "festnetz"),
        re.compile(
            r"(?<!\w)(?:call(?: me)?|ring(?: me)?|tel|phone|appelle(?:-moi)?|mon fixe|fixe|llamame|llama al|"
            r"ruf(?: mich)?(?: an)?|chiamami|chiama|liga(?: pra mim)?|festnetz)\b[\s:.]*(?:(?:on|at|au|al|unter|no|su)\s+)?"
            r"(?<![\d.,])(\d{3}[\s.-]?\d{4}|\d{2}(?:[\s.-]\d{2}){2})(?![\s.,-]?\d|\s?(?:mm|%|eur|€|\$|units?))"
        ),
        PHONE,
        "Looks like a phone number",
    ),
    # Skype ids
    (
        ("live:",),
        re.compile(r"\blive:(?:\.cid\.)?[a-z0-9._-]{3,}"),
        MESSAGING_APP,
        "Offers to continue on Skype, a messaging app",
    ),
)

_AT_TOKEN = re.compile(r"[a-z0-9._%+-]+@[a-z0-9._-]+")
_FORWARD_EMAIL = re.compile(rf"[a-z0-9._%+-]+@[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:{'|'.join(TLDS)})")


# Every rule's hints, looked for in one scan of the text (see `nlp.alternation.Substrings`).
_GROUPS = tuple(tuple(map(frozenset, hints if isinstance(hints[0], tuple) else (hints,))) for hints, *_ in _RULES)
_HINTS = Substrings(hint for groups in _GROUPS for group in groups for hint in group)


def mention_hits(text: str) -> list[Hit]:
    """Contact given by the rules above, in normalised text."""
    hits = []
    present = _HINTS(text)
    for groups, (_, pattern, kind, reason) in zip(_GROUPS, _RULES):
        if present.isdisjoint(groups[0]) or (len(groups) > 1 and any(map(present.isdisjoint, groups[1:]))):
            continue  # one hint of each group, or the rule cannot match
        # (a rule with a group reports the group: the number after its cue)
        group = 1 if pattern.groups else 0
        hits += [Hit(kind, m.start(group), m.end(group), reason) for m in pattern.finditer(text)]
    if "@" in text:
        for match in _AT_TOKEN.finditer(text):
            if _FORWARD_EMAIL.fullmatch(match.group()[::-1]) and not _FORWARD_EMAIL.fullmatch(match.group()):
                hits.append(Hit(EMAIL, match.start(), match.end(), "Looks like an e-mail address written backwards"))
    return hits
