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

from nlp.alternation import Substrings, word_alternation
from nlp.findings import EMAIL, LINK_IN_BIO, MESSAGING_APP, PHONE, SOCIAL, URL, Hit
from nlp.lexicon import EMAIL_PROVIDERS, MAILBOX_SERVICES, SHORT_LINK_HOSTS, TLDS

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
_PROVIDERS = "|".join(re.escape(s) for s in EMAIL_PROVIDERS)
_QUOTED = r"[\"«„“'][^\"»“”'\n]{3,40}[\"»“”']"
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
_NETWORK_WORDS = (
    "insta",
    "tiktok",
    "tik tok",
    "facebook",
    "fb",
    "twitter",
    "snap",
    "linkedin",
    "انستا",
    "الانستا",
    "تيك",
    "فيس",
    "الفيس",
)
_PAGE = r"(?:page|pagina|seite|profil|profile|perfil|profilo|channel|chaine|canal|canale|kanal)"

# Each rule: substrings one of which the text must contain before its pattern is run (or
# groups of them, one of each group), the pattern, the kind and reason of its findings.
# Words that open a number given in parts, and that continue it.
_NUMBER_START_HINTS = (
    "commence par",
    "empieza por",
    "primeros",
    "primeras",
    "comincia con",
    "prime cifre",
    "comeca com",
    "primeiros",
    "beginnt mit",
    "starts with",
    "first digits",
    "kaybda",
    "يبدا",
    "indicatif",
    "prefisso",
    "vorwahl",
    "premiers chiffres",
)
_NUMBER_START = (
    word_alternation(
        (
            "num",
            "numero",
            "nummer",
            "number",
            "ra9m",
            "الرقم",
            "rakm",
            "los",
            "las",
            "le",
            "os",
            "first",
            "premiers",
            "vorwahl",
            "indicatif",
            "prefisso",
        ),
        after_first=r"(?<!\w.)",
    )
    + r"(?:\s+(?:commence|empieza|comincia|comeca|beginnt|starts|kaybda|يبدا)\s+(?:par|por|con|com|mit|with|b|ب)"
    r"|(?<=los) primeros(?: \d)? son|(?<=las) primeras cifras son|(?<=le) prime cifre sono|(?<=os) primeiros(?: \d)? sao"
    r"|(?<=first) digits are|(?<=premiers) chiffres|(?<=vorwahl)|(?<=indicatif)|(?<=prefisso))"
)
_NUMBER_REST = (
    r"la suite(?: c'est)?|puis|los otros(?: \d)?(?: son)?|el resto(?: es)?|poi|il resto|o resto(?: e)?|os outros(?: \d)?(?: sao)?|"
    r"dann|der rest(?: ist)?|the rest(?: is)?|then|kaykmel b|ykmel b|والباقي|الباقي"
)
# (names and verbs as prefix trees, see `nlp.alternation`: the engine skips to their first letters)
_NETWORK_START = word_alternation(_NETWORK_WORDS, after_first=r"(?<!\w.)")
_SEARCH_START = word_alternation(_SEARCH_VERBS, after_first=_NOT_TOLD)
_ENGINE_START = word_alternation(_ENGINES, after_first=_NOT_TOLD + r"(?<!bei .)(?<!auf .)")
_ALL_NETWORKS = (
    r"(?:(?:every|all(?: the)?)\s+(?:apps?|networks?|platforms?|socials?|social media)|tous les reseaux|toutes les plateformes|"
    r"todas (?:las|as) redes|tutti i social|tutte le piattaforme|uberall|ga3 (?:les reseaux|l apps|les apps)|"
    r"(?:في )?كل (?:المواقع|المنصات|التطبيقات|الشبكات))"
)
_HANDLE = r"(?:@[a-z0-9_][a-z0-9_.]+|(?=[a-z0-9._]*[._\d])(?=[a-z0-9._]*[a-z]{3})[a-z][a-z0-9._]+[a-z0-9])(?![\w@])"
_RULES: tuple[tuple[tuple | re.Pattern, re.Pattern, str, str], ...] = (
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
            r"\s*[:,-]?\s*[\"«„“]?\s*(?!(?:mais|but|pero|mas|ma|aber|and|et|y|e|und|or|ou|o|oder)\b)"
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
            r"|(?:on|sur|en|no|na|su|auf|bei)\s+(?:facebook|fb|linkedin|instagram|insta|tiktok|xing)"
            r"(?:\s+(?:as|comme|como|come|unter|als)\s+|\s*[,:]\s*)[a-z][\w'&.-]*(?:\s+[a-z][\w'&.-]*){0,3})"
        ),
        SOCIAL,
        "Points to an account on a social network",
    ),
    # a professional network and the person's name: "LinkedIn - Marta Ruiz", "لينكدإن: محمد الزهراني"
    (
        ("linkedin", "xing", "لينكد"),
        re.compile(
            r"(?:linkedin|xing|لينكد\S*)\s*(?::|-|->|=>|>|=)\s*"
            r"[a-z\u0620-\u064a][a-z\u0620-\u064a'-]+(?:\s+[a-z\u0620-\u064a][a-z\u0620-\u064a'-]+){1,2}"
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
    (("@[",), re.compile(r"[a-z0-9._%+-]+@\[\d{1,3}(?:\.\d{1,3}){3}\]"), EMAIL, "Looks like an e-mail address"),
    # in Arabic script: "smilelab جيميل", "الجيميل ديالي هو نفس اليوزر ديالي هنا"
    (
        ("جيميل", "هوتميل", "ايميل"),
        re.compile(
            r"(?<![\w.])[a-z][a-z0-9._-]{2,}\s+(?:(?:على|في|ف|f|3la)\s+)?(?:ال)?(?:جيميل|هوتميل)"
            r"|(?:ال)?(?:جيميل|هوتميل|ايميل)\S*\s+(?:\S+\s+){0,3}?(?:نفس\s+)?(?:ال)?(?:اسم|يوزر|سمية)"
            r"|(?:ال)?(?:جيميل|هوتميل)\s*[:،,]\s*[a-z][a-z0-9._-]{2,}"
        ),
        EMAIL,
        "Points to an e-mail address without writing it",
    ),
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
    # the same account name as on the platform, on a network: "sur insta c'est mon pseudo ici"
    (
        ((" here", "ici", "aqui", "daqui", "di qui", "hier", "هنا", "hna"), _NETWORK_WORDS),
        re.compile(
            rf"{_NETWORK_START}\S*[^.!?\n]{{0,40}}?"
            r"(?:(?:same|meme|mismo|mesmo|stesso|gleiche[rn]?|نفس)\s+(?:\S+\s+){0,2}?(?:as\s+|que\s+|qu'|che\s+|wie\s+)?"
            r"(?:here|on here|ici|d'ici|aqui|de aqui|daqui|di qui|qui|hier|هنا|hna)"
            r"|(?:my|mon|mi|meu|il mio|mein)\s+(?:pseudo|user(?:name)?|usuario|nome utente|nom d'utilisateur|name)\s+"
            r"(?:d'ici|ici|de aqui|daqui|di qui|here|on here|from here|von hier))"
        ),
        SOCIAL,
        "Points to an account on a social network",
    ),
    # one handle on every network: "en todas las redes soy protesis.garcia", "I'm crownking_lab on every app"
    (
        (
            "every ",
            "all the",
            "all apps",
            "all networks",
            "all platforms",
            "all socials",
            "tous les",
            "toutes les",
            "todas",
            "tutti",
            "tutte",
            "uberall",
            "ga3",
            "كل ",
        ),
        re.compile(rf"{_ALL_NETWORKS}\s+(?:\S+\s+){{0,4}}?{_HANDLE}"),
        SOCIAL,
        "Points to the same account on other networks",
    ),
    # (the handle first: a pattern that opens with it is tried at every position, so only
    # texts that name every network run it)
    (
        (
            "every app",
            "every network",
            "every platform",
            "all apps",
            "all networks",
            "all platforms",
            "all the apps",
            "all socials",
            "tous les reseaux",
            "todas las redes",
            "todas as redes",
            "tutti i social",
            "uberall",
        ),
        re.compile(rf"{_HANDLE}\s+(?:on|sur|en|em|su|auf|f|في)\s+(?:\S+\s+){{0,2}}?{_ALL_NETWORKS}"),
        SOCIAL,
        "Points to the same account on other networks",
    ),
    # a domain spelled in Arabic: "annourlab دوت كوم"
    (
        ("دوت", "نقطة"),
        re.compile(r"(?<![\w.@])[a-z0-9-]{3,}\s+(?:دوت|نقطة)\s+(?:كوم|نت|com|net|org|ma|eg|sa)(?!\w)"),
        URL,
        "Links to a site outside the platform",
    ),
    # a handle on a network, "at" spelled out: "tiktok ät cad_kathi", "insta chiocciola luca.cad"
    (
        (("tiktok", "insta", "twitter", "snap", "threads", "facebook"), ("at", "chiocciola", "arroba", "arobase")),
        re.compile(
            r"(?:tiktok|insta\w*|twitter|snap\w*|threads|facebook)\s+(?:at|chiocciola|arroba|arobase)\s+"
            r"(?=[a-z0-9_.]*[._\d])[a-z][a-z0-9_.]*[a-z0-9]"
        ),
        SOCIAL,
        "Points to an account on a social network",
    ),
    # links without an address of their own
    (
        SHORT_LINK_HOSTS,
        re.compile(r"(?<![\w.-])(?:" + "|".join(re.escape(h) for h in SHORT_LINK_HOSTS) + r")(?:/[^\s<>\"']*)?"),
        URL,
        "Links to a site outside the platform",
    ),
    (
        ("bio", "profil", "perfil", "بايو"),
        re.compile(
            r"(?:link|lien|enlace|liga|website|site|sito|sitio|(?:ال)?رابط|(?:ال)?لينك)\s+"
            r"(?:(?:is|est|esta|e|ist|sta|ta|se trouve|kayn|كاين)\s+)?(?:in|en|na|de|da|nella|im|in der|dans|dans la|"
            r"dans ma|en la|en mi|no|in my|in the|on my|f|fi|ف|في)\s*"
            r"(?:(?:la|ma|mi|my|minha|meu|meiner|meine|mia|sua|tua|mon|el|l)\s+)?(?:[\w-]+[\s-])?"
            r"(?:bio|(?:ال)?بايو|(?:perfil|profil|profile|profilo)\s+(?:(?:do|de|di|on|sur|auf|en)\s+)?(?:insta\w*|ig|tiktok|facebook|fb))\b"
            r"|link\s+im\s+profil"
        ),
        URL,
        LINK_IN_BIO,
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
    # a number given in two parts: "mon num commence par 06 55. la suite c'est 21 30 44"
    (
        _NUMBER_START_HINTS,
        re.compile(
            rf"{_NUMBER_START}\b[^\d\n]{{0,12}}?((?:0|\+)\d{{1,3}}(?:[ .-]\d{{2,4}}){{0,2}}|\d{{2,4}}[ .-]\d{{2,4}})(?![\d])"
            rf"(?:[^\d\n]{{0,30}}?(?:{_NUMBER_REST})\b[^\d\n]{{0,12}}?(\d{{2,4}}(?:[ .-]\d{{2,4}}){{1,2}})(?![\d]))?"
        ),
        PHONE,
        "Looks like a phone number given in parts",
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
        # (a rule with groups reports its groups: the numbers after its cues)
        found = range(1, pattern.groups + 1) if pattern.groups else (0,)
        hits += [
            Hit(kind, m.start(g), m.end(g), reason) for m in pattern.finditer(text) for g in found if m.start(g) >= 0
        ]
    if "@" in text:
        for match in _AT_TOKEN.finditer(text):
            if _FORWARD_EMAIL.fullmatch(match.group()[::-1]) and not _FORWARD_EMAIL.fullmatch(match.group()):
                hits.append(Hit(EMAIL, match.start(), match.end(), "Looks like an e-mail address written backwards"))
    return hits
