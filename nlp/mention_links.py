"""Mention rules for links off the platform that have no address of their own.

A name to look up on a search engine ("search \"Crown Lab\" on google"), a domain spelled
in Arabic or with a top-level domain that is also a word ("odontoluca punto it"), link-in-bio
and short-link services (linktr.ee, bit.ly, g.page), "link in bio", a QR code to scan.
"""

from __future__ import annotations

import re

from nlp.alternation import word_alternation
from nlp.findings import LINK_IN_BIO, OFF_PLATFORM_PAYMENT, QR_CODE, URL
from nlp.lexicon.addresses import SHARE_LINK_HOSTS, SHORT_LINK_HOSTS, TLDS
from nlp.mention_words import MY, SPOKEN_DOT, WRITERS, Rule

_QUOTED = r"[\"«„“'][^\"»“”'\n]{3,40}[\"»“”']"
_PLATFORM = r"platform|plateforme|plataforma|piattaforma|plattform|المنصة|plateforme"
_ENGINE = r"(?:google|قوقل|جوجل|غوغل)"
# (a thing looked up starts with an article, "search the shade guide on google"; a business's name does not)
_NO_ARTICLE = (
    r"(?!(?:the|a|an|for|la|le|les|l'\w+|el|los|las|o|os|as|il|lo|gli|i|die|der|das|den|un|une|des|uno|una|um|uma|"
    r"ein|eine|some|des|du|info|infos)\b)"
)
# (read right after a verb's first letter, hence the "." in each lookbehind)
_NOT_TOLD = r"(?<![\w].)(?<!\bi .)(?<!j'ai .)(?<!\bho .)(?<!\bhe .)(?<!habe .)(?<!hab .)(?<!\beu .)(?<!\byo .)"
_ENGINES = ("google", "قوقل", "جوجل", "غوغل")
_SEARCH_VERBS = (
    "search",
    "look up",
    "look",
    "cherche",
    "recherche",
    "tape",
    "type",
    "busca",
    "pesquisa",
    "procura",
    "cerca",
    "digita",
    "such",
    "qelleb",
    "joga",
    "اكتب",
    "ابحث",
    "قلب",
)
# (verbs and names as prefix trees, see `nlp.alternation`: the engine skips to their first letters)
_SEARCH_START = word_alternation(_SEARCH_VERBS, after_first=_NOT_TOLD)
_ENGINE_START = word_alternation(_ENGINES, after_first=_NOT_TOLD + r"(?<!bei .)(?<!auf .)")

SEARCH_ENGINE_NAMES: tuple[Rule, ...] = (
    # a name to look up on a search engine: "search \"Crown Lab\" on google", "google „Zahnwerk Berlin“";
    # not the writer's own search told in the past ("I googled \"...\"", "j'ai cherché « ... »")
    (
        ("google", "قوقل", "جوجل", "غوغل"),
        re.compile(
            rf"{_SEARCH_START}\w*\s+"
            # the name quoted, or a few words of it: "tape labo azur nice sur google"
            rf"(?:(?:(?:\S+\s+){{0,1}}?{_QUOTED}\s+|{_NO_ARTICLE}(?:[a-z]\S*\s+){{1,4}}?)"
            rf"(?:on|in|sur|en|no|na|su|auf|bei|f|3la|في|على)\s+{_ENGINE}(?:\s+maps)?"
            # "búscanos en google como ...", "cercaci su Google: ..."
            rf"|(?:(?:en|su|bei|no|on|sur|in)\s+)?{_ENGINE}(?:\s*:\s*|\s+(?:nach|como|come|as|comme|for)\s+)[\w„\"«'])"
            # "google „Zahnwerk Berlin“", "قوقل \"مختبر النور\""
            rf"|{_ENGINE_START}(?:[nrz]|ez)?\s+"
            rf"(?:(?:einfach|just|simplement|nach|في|على)\s+)?{_QUOTED}"
        ),
        URL,
        "Points to a site outside the platform through a search engine",
    ),
)

SPELLED_ARABIC_DOMAINS: tuple[Rule, ...] = (
    # a domain spelled in Arabic: "annourlab دوت كوم"
    (
        ("دوت", "نقطة"),
        re.compile(r"(?<![\w.@])[a-z0-9-]{3,}\s+(?:دوت|نقطة)\s+(?:كوم|نت|com|net|org|ma|eg|sa)(?!\w)"),
        URL,
        "Links to a site outside the platform",
    ),
)

# links without an address of their own
LINKS_WITHOUT_ADDRESS: tuple[Rule, ...] = (
    (
        SHORT_LINK_HOSTS,
        re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(h) for h in SHORT_LINK_HOSTS) + r")(?:/[^\s<>\"']*)?"),
        URL,
        "Links to a site outside the platform",
    ),
    (
        SHARE_LINK_HOSTS,
        re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(h) for h in SHARE_LINK_HOSTS) + r")/[\w/!?=&%.~+-]*[\w/]"),
        URL,
        "Links to a site outside the platform",
    ),
    (
        ("bio", "profil", "perfil", "بايو"),
        re.compile(
            r"(?:link|lien|enlace|liga|website|site|sito|sitio|(?:ال)?رابط|(?:ال)?لينك)\s+"
            r"(?:(?:is|est|esta|e|ist|sta|ta|se trouve|kayn|كاين|اللي|لي|that's|that is|qui est|que esta|che e)\s+)?(?:in|en|na|de|da|nella|im|in der|dans|dans la|"
            r"dans ma|en la|en mi|no|in my|in the|on my|f|fi|ف|في)\s*"
            r"(?:(?:la|ma|mi|my|minha|meu|meiner|meine|mia|sua|tua|mon|el|l)\s+)?(?:[\w-]+[\s-])?"
            r"(?:bio|(?:ال)?بايو|(?:perfil|profil|profile|profilo)\s+(?:(?:do|de|di|on|sur|auf|en)\s+)?(?:insta\w*|ig|tiktok|facebook|fb))\b"
            # (someone else's bio: "the link in bio of the manufacturer")
            r"(?!\s+of\s+(?:the|their|his|her|that|this)\b)"
            # (a maker's or a colleague's: "the link in bio of Ivoclar", "le lien en bio de Kulzer")
            # (not the network's own name: "la bio di instagram", "bio do insta")
            r"(?!\s+(?:of|de|du|di|do|da|del|della|von)\s+"
            rf"(?!{WRITERS}\b|me\b|mine\b|moi\b|insta|ig\b|tik|face|fb\b|linked|threads|x\b|twitter|you|snap|pint|beh)"
            r"[^\W\d_]{3,})"
            r"|link\s+(?:im|in meinem|in unserem)\s+profil\w*"
        ),
        URL,
        LINK_IN_BIO,
    ),
    (
        ("qr",),
        re.compile(
            r"(?<!\w)(?:scan|scanne[zr]?|flashe[zr]?|escane|scann|scannen|inquadra|"
            r"leggi|lee|leia|use|utilise|usa)\w*\s+(?!(?:\S+\s+){0,2}?(?:udi|gs1|lot|lote|lotto|datamatrix)\b)"
            # (possessive: "code" once read is not given back to slip past the product words below)
            r"(?:\S+\s+){0,2}?(?:qr|qr-code|qrcode)(?:[\s-]?code|[\s-]?codigo|[\s-]?codice)?+"
            # the code on a product's box or label is the product's own
            r"(?!\s+(?:\S+\s+){0,3}?(?:box|label|boite|etiquette|caja|etiqueta|caixa|scatola|etichetta|packung|etikett)\b)"
            # and a code to scan is a way out only when it is the writer's: on their card, flyer,
            # photo or quote, or leading to their page ("scan the QR code on the pouch for the UDI" is
            # traceability, "scan the QR on my card" is not)
            rf"(?=[^.!?\n]{{0,60}}?\b{WRITERS}\b)"
        ),
        URL,
        QR_CODE,
    ),
    (
        ("qr",),
        re.compile(
            rf"{MY}\s+(?:qr|qr-code|qrcode)\b"
            r"|(?:qr|qr-code|qrcode)\W+(?:\w+\W+){0,3}?(?:para que me|para me|pra me|to reach me|to contact me|"
            r"to write me|to find me|pour me|per contattarmi|per scrivermi|damit du mich)"
        ),
        URL,
        QR_CODE,
    ),
    # a payment QR code to scan: "scannez le QR de paiement Sumeria sur ma carte" (the QR rules above
    # report the code; this one says what it is for)
    (
        (("qr",), ("paiement", "pago", "pagamento", "payment", "zahlung")),
        re.compile(
            r"(?:scan|scanne[zr]?|flashe[zr]?|escane[ae]|escaneie|scann|scannen|inquadra|leggi|lee|leia)\w*\s+"
            r"(?:\S+\s+){0,2}?(?:qr|qr-code|qrcode)(?:[\s-]?code)?\s+(?:de |di |do |da |fur |for |per |zur )?"
            r"(?:paiement|pago|pagamento|payment|zahlung)\b(?!\s+(?:\S+\s+){0,2}?(?:occlusa|" + _PLATFORM + r")\b)"
        ),
        OFF_PLATFORM_PAYMENT,
        "Points to a QR code to pay outside the platform",
    ),
    # a QR code said to lead to the writer's own site, form or portal: "QR code sur le PDF, il renvoie vers
    # mon WeTransfer", "QR-Code im PDF führt zu meinem Upload-Portal", "QR code f l PDF, kaywddik l site dyali"
    # (not "the QR code on the label leads to the material's certificate")
    (
        ("qr",),
        re.compile(
            r"(?:qr|qr-code|qrcode)(?:[\s-]?(?:code|codigo|codice))?\b[^.!?\n]{0,40}?\b"
            r"(?:leads?|takes? you|points?|goes|links?|opens?|renvoie\w*|mene\w*|redirige\w*|lleva\w*|dirige\w*|"
            r"leva\w*|porta\w*|rimanda\w*|fuhrt|bringt|offnet|kaywddik|kaydik|kayddik|يوديك|كيديك)\s+"
            rf"(?:\S+\s+){{0,2}}?(?:{MY}|mes|nos|mis|nosso|nossa|mio|mia|nostro|meinem|meiner|unserem|unserer|our)\s+\S+"
            # (the writer's page on the platform is no way out: "leads to my case page on Occlusa")
            rf"(?![^.!?\n]*\b(?:occlusa|{_PLATFORM}))"
            r"|(?:qr|qr-code|qrcode)[^.!?\n]{0,40}?\b(?:kaywddik|kaydik|kayddik|يوديك|كيديك)\s+(?:\S+\s+){1,2}(?:dyali|dyalna|ديالي|ديالنا)"
        ),
        URL,
        QR_CODE,
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
            rf"(?<![a-z])(?:{MY}\s+(?:web ?site|site|web|sitio(?: web)?|pagina web|sito(?: web)?|webseite|homepage|blog|"
            r"portfolio|work|travaux|trabajos|lavori|arbeiten|trabalhos)|check out|visit|regarde|visite[rz]?|"
            r"mira|visita|guarda|schau|acessa|entra)(?:\s*[:=-])?(?:\s+\S+){0,4}?\s*[:=-]?\s+"
            rf"[a-z0-9-]{{3,}}(?:{SPOKEN_DOT}[a-z0-9-]+)*(?:{SPOKEN_DOT}|,)(?:{'|'.join(TLDS)})(?=\s*(?:$|[,.;!?)/]))"
        ),
        URL,
        "Links to a site outside the platform",
    ),
    # a hyphenated name with a spelled-out dot: "zahn-design-berlin dot de"
    (
        (("point", "punto", "ponto", "punkt", "dot"), ("-",)),
        re.compile(
            rf"(?<![\w@.-])[a-z0-9]+(?:-[a-z0-9]+)+(?:{SPOKEN_DOT}[a-z0-9-]+)*{SPOKEN_DOT}(?:{'|'.join(TLDS)})"
            r"(?=\s*(?:$|[,.;!?)/]))"
        ),
        URL,
        "Links to a site outside the platform",
    ),
    # a spelled-out domain followed by a spelled-out path: "auroralab punto it slash listino"
    (
        (("point", "punto", "ponto", "punkt", "dot"), ("slash", "barra", "barre")),
        re.compile(
            rf"(?<![\w@.-])[a-z0-9-]{{3,}}(?:{SPOKEN_DOT}[a-z0-9-]+)*{SPOKEN_DOT}(?:{'|'.join(TLDS)})"
            r"(?=\s+(?:slash|barra|barre)\b)"
        ),
        URL,
        "Links to a site outside the platform",
    ),
    (
        ("linktree", "beacons", "taplink", "carrd"),
        re.compile(rf"{MY}\s+(?:linktree|beacons|taplink|carrd)\b"),
        URL,
        "Points to a link outside the platform",
    ),
)
