"""Mention rules for accounts on social networks named without a link.

Reddit "u/name", "same handle on every network", a business page named without a link
("FB page: Bright Arch Studio"), "search us on Facebook as ...", "LinkedIn - Marta Ruiz",
"sur insta c'est mon pseudo ici", and a handle with "at" spelled out ("tiktok ät cad_kathi").
The rules come in runs that `nlp.mentions` puts in its table in their original order.
"""

from __future__ import annotations

import re

from nlp.alternation import word_alternation
from nlp.findings import SOCIAL
from nlp.mention_words import NAME, Rule

_EVERYWHERE = (
    r"(?:everywhere|every (?:network|platform|app|site)|all (?:networks|platforms|"
    r"socials|the socials|apps)|partout|tous les reseaux|toutes les plateformes|"
    r"todas (?:las|as) redes|todas partes|(?:em )?todo lugar|tutti i social|"
    r"(?:su )?tutte le piattaforme|ovunque|uberall|allen (?:netzwerken|plattformen))"
)
_SOCIAL = r"(?:facebook|fb|linkedin|instagram|insta|tiktok|youtube|xing)"
_NETWORK = r"(?:tiktok|insta\w*|twitter|snap\w*|threads|facebook)"
_NETWORK_HINTS = ("tiktok", "insta", "twitter", "snap", "threads", "facebook")
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
# (names as a prefix tree, see `nlp.alternation`: the engine skips to their first letters)
_NETWORK_START = word_alternation(_NETWORK_WORDS, after_first=r"(?<!\w.)")
_ALL_NETWORKS = (
    r"(?:(?:every|all(?: the)?)\s+(?:apps?|networks?|platforms?|socials?|social media)|tous les reseaux|toutes les plateformes|"
    r"todas (?:las|as) redes|tutti i social|tutte le piattaforme|uberall|ga3 (?:les reseaux|l apps|les apps)|"
    r"(?:في )?كل (?:المواقع|المنصات|التطبيقات|الشبكات))"
)
_HANDLE = r"(?:@[a-z0-9_][a-z0-9_.]+|(?=[a-z0-9._]*[._\d])(?=[a-z0-9._]*[a-z]{3})[a-z][a-z0-9._]+[a-z0-9])(?![\w@])"

_QUOTES = ("'", '"', "«", "„", "“")
_PAGE_WORDS = ("page", "pagina", "seite", "profil", "perfil", "channel", "chaine", "canal", "kanal")
# (a quoted name without its closing quote, as the page rule reports it: a finding that ends on a quote
# would be joined to a request after it by `nlp.findings`)
_QUOTED = r"[\"«„“'][^\"»“”'\n]{3,40}(?=[\"»“”'])"
# (verbs as prefix trees, see `nlp.alternation`, with the test that the search is asked for, not
# told ("I searched", "j'ai cherché"), right after their first letter: the engine skips to them)
_NOT_TOLD = r"(?<![\w].)(?<!\bi .)(?<!j'ai .)(?<!\bho .)(?<!\bhe .)(?<!habe .)(?<!hab .)(?<!\beu .)(?<!\byo .)"
_LOOK_UP = word_alternation(
    "search|look up|look for|cherche|recherche|busca|procura|pesquisa|cerca|such|googl|tape|9elleb|qelleb|dawwar|dowwer".split(
        "|"
    ),
    after_first=_NOT_TOLD,
)
_SEARCH_VERB = (
    word_alternation(
        (
            "search",
            "search for",
            "look for",
            "look up",
            *(f"{again}cherche{end}" for again in ("", "re") for end in ("", "r", "z", "-moi", "-nous")),
            *(f"busca{end}" for end in ("", "d", "r", "me", "nos")),
            *(f"procura{end}" for end in ("", "r", "-me", "-nos")),
            *(f"cerca{end}" for end in ("", "re", "te", "mi", "ci")),
            *(f"such{e}{mal} nach" for e in ("", "e", "t") for mal in ("", " mal")),
            "googl",
            *(f"tape{end}" for end in ("", "r", "z")),
            "type",
            "digita",
            "escribe",
        ),
        after_first=_NOT_TOLD,
    )
    + r"(?:(?<=googl)\w*)?"
)
_ON = r"(?:on|sur|en|no|na|su|auf|bei|f|3la|3ala|3al|fi)"
_ABOUT = r"(?:about|on|sur|sobre|su|sul|sulla|uber|zu|de|di|of|da|do)"
_LOOKED_ON = r"(?:facebook|fb|face|linkedin|instagram|insta|tiktok|xing)"

# handles
HANDLES: tuple[Rule, ...] = (
    (("u/",), re.compile(r"(?<![\w/.])u/[a-z0-9_-]{3,20}\b"), SOCIAL, "Points to an account on Reddit"),
    # a handle on a network given backwards: "mi usuario de TikTok al revés: latnedoinogla", "اسمي على تيك
    # توك بالمقلوب: latned_ramo" (a name on a network: not "the file name backwards", not "on tiktok a crown
    # put in backwards")
    (
        (
            ("tiktok", "insta", "twitter", "snap", "threads", "facebook", "تيك توك", "انستا", "فيسبوك"),
            (
                "backwards",
                "reverse",
                "reves",
                "tras pra frente",
                "tras para frente",
                "envers",
                "contrario",
                "rovescia",
                "ruckwarts",
                "بالمقلوب",
                "ma9lob",
                "m9loub",
            ),
        ),
        re.compile(
            rf"(?:{NAME}|user|@|اسمي|اسم|يوزر)[^.!?\n]{{0,25}}?(?:{_NETWORK}|تيك توك|انستا\S*|فيسبوك)[^.!?\n]{{0,40}}?"
            r"(?:\bbackwards|\breversed|\bin reverse|\bal reves"
            r"|\bde tras pra frente|\bde tras para frente|\ba l'envers|\bal contrario|\balla rovescia|\bruckwarts"
            r"|بالمقلوب|\bbel ma9lob|\bm9loub)\s*:\s*[a-z0-9_.]{4,}"
        ),
        SOCIAL,
        "Points to an account on a social network, written backwards",
    ),
    # "follow me @ceramista_bh", "seguimi @giulia_zirconia", "تابعني @yassine_cad": the writer's handle,
    # network unnamed (not "follow @ivoclar for updates", not "follow me @ 3pm")
    (
        ("follow", "folg", "segu", "suis", "suivez", "sigue", "تابع"),
        re.compile(
            r"(?<!\w)(?:follow (?:me|us)|folg(?:e|t)? (?:mir|uns)|seguimi|seguici|segue(?: la| a gente)?|me segue|"
            r"suivez-(?:moi|nous)|suis-moi|sigueme|siguenos|تابعني|تابعنا)(?: on| la| here)?"
            r"\s+@(?=[a-z0-9_.]*[a-z])[a-z0-9_][a-z0-9_.]{2,}"
        ),
        SOCIAL,
        "Points to an account on a social network",
    ),
    # "I'm on Facebook. Search for Prothèses Marchetti Nice": the page to look up, in the next sentence
    # (not "I'm on Facebook. Search for the shade in the guide": a name is no article)
    (
        (
            ("facebook", "insta", "tiktok", "linkedin", "youtube"),
            (
                "cherche",
                "encuentras",
                "busca",
                "procura",
                "cerca",
                "such",
                "dawwar",
                "search",
                "look for",
                "look us up",
            ),
        ),
        re.compile(
            r"\b(?:i'm|im|i am|we're|we are|suis|sommes|estoy|estamos|to|estou|sono|siamo|bin|sind|ana|hna)\s+"
            r"(?:on|sur|en|no|na|su|auf|3la)\s+(?:facebook|insta\w*|tiktok|linkedin|youtube)\s*[.!]\s+"
            r"(?:cherchez?|me encuentras como|nos encuentras como|busca(?:nos)?(?: como)?|procura(?: por)?|cerca(?:ci)?|"
            r"such(?:e|t)? nach|dawwar 3la|search for|look for|look us up as)\s+[«\"']?\s*"
            r"(?!(?:the|a|an|la|le|les|el|los|las|o|os|as|il|lo|gli|der|die|das|un|une|una|uma|ein|eine)\s)"
            r"[^\W\d_][\w'-]*(?:\s+[^\W\d_][\w'-]*){1,5}"
        ),
        SOCIAL,
        "Points to a page on a network to look up",
    ),
    (
        ("same", "meme", "mismo", "mesmo", "stesso", "gleich", "نفس"),
        re.compile(
            r"(?:same|meme|mismo|mesmo|stesso|gleiche[rn]?|le meme|el mismo|o mesmo|lo stesso)"
            rf"\s+(?:{NAME}\s+(?:\S+\s+){{0,3}}?{_EVERYWHERE}"
            # ("user" alone with the handle: "the same user everywhere in the software" is a login)
            rf"|user\s+(?:\S+\s+){{0,3}}?{_EVERYWHERE}\s*:\s*[a-z0-9][a-z0-9._]{{2,}})"
            # "نفس اليوزر في كل مكان: dr.salma.smile" (with the handle: the same name everywhere may be a file's)
            r"|نفس\s+(?:ال)?(?:يوزر|اسم|يوزرنيم)\s+(?:في|ف)\s+كل\s+(?:مكان|بلاصة|المنصات|التطبيقات)"
            r"\s*:\s*[a-z][a-z0-9._]{2,}"
        ),
        SOCIAL,
        "Points to the same account on other networks",
    ),
    (
        ("page", "pagina", "seite", "profil", "perfil", "channel", "chaine", "canal", "kanal"),
        re.compile(
            rf"(?:{_SOCIAL}[\s-]*{_PAGE}|{_PAGE}\s+(?:(?:de|do|da|on|sur|no|na|en|em|su|auf|in)\s+)?{_SOCIAL})"
            # the page's name, not the next clause ("page Facebook, mais je préfère ...")
            # nor what the page is about ("um canal no YouTube que explica ...", "a channel on YouTube about ...")
            r"\s*[:,-]?\s*[\"«„“']?\s*(?!(?:mais|but|pero|mas|ma|aber|and|et|y|e|und|or|ou|o|oder"
            r"|que|qui|che|that|which|who|where|donde|onde|dove|wo|sobre|about|sur|su|uber|with|avec|con|com|mit"
            r"|para|for|pour|per|fur|of|de|du|da|do|di|von|sul|sulla)\b)"
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
            ("facebook", "fb", "face", "linkedin", "insta", "tiktok", "xing"),
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
            # (not the writer's own search told: "j'ai cherché « couronne zircone » sur Facebook")
            rf"{_SEARCH_VERB}\s+"
            # what is looked for is a name, not videos or photos of a technique
            r"(?!(?:\S+\s+){0,3}?(?:videos?|tutorials?|photos?|pictures?|posts?|fotos?|reels?)\b)"
            r"(?:(?:\S+\s+){1,4}?(?:(?:on|sur|en|no|na|su|auf|bei)\s+(?:facebook|fb|linkedin|instagram|insta|tiktok|xing)"
            # "procura Laboratorio Sorriso Forte no Face": Facebook's nickname, after the Portuguese article
            r"|(?:no|na)\s+face)\b"
            # "búscanos en Facebook como Dental Lab Sonrisa"
            r"|(?:on|sur|en|no|na|su|auf|bei)\s+(?:facebook|fb|linkedin|instagram|insta|tiktok|xing)"
            r"(?:\s+(?:as|comme|como|come|unter|als)\s+|\s*[,:]\s*)[a-z][\w'&.-]*(?:\s+[a-z][\w'&.-]*){0,3})"
        ),
        SOCIAL,
        "Points to an account on a social network",
    ),
    # a channel or page named in quotes: "auf YouTube hab ich einen Kanal 'Keramik mit Lena'", "ho un
    # canale YouTube che si chiama 'Ceramica Facile'"
    (
        (("facebook", "fb", "linkedin", "insta", "tiktok", "youtube", "yt"), _PAGE_WORDS, _QUOTES),
        re.compile(
            rf"(?:(?:{_SOCIAL}|yt)\b[^.!?\n]{{0,25}}?\b{_PAGE}|{_PAGE}\s+(?:\S+\s+)?(?:{_SOCIAL}|yt))\b"
            # (its name, not what it is about: "a channel about 'digital dentures'")
            rf"[\s:,]*(?:(?!{_ABOUT}\s)[^\s\"«„“']+\s+){{0,3}}?{_QUOTED}"
        ),
        SOCIAL,
        "Points to a page on a social network",
    ),
    # a name in quotes to look up on a network, before or after it: "Cherchez « Atelier Dubois » sur
    # Facebook", "such auf Facebook nach 'Dentallabor Schmidt'", "9elleb 3la 'Dental Atlas' f facebook"
    (
        (("facebook", "fb", "face", "linkedin", "insta", "tiktok", "xing"), _QUOTES),
        re.compile(
            # (a request, not the writer's own search told: "I searched 'zirconia bridge' on facebook")
            rf"{_LOOK_UP}(?!ed\b)\w*\s+(?:\S+\s+){{0,2}}?(?:{_QUOTED}[\"»“”']\s+(?:\S+\s+)?{_ON}\s+{_LOOKED_ON}\b"
            rf"|{_ON}\s+{_LOOKED_ON}\s+(?:(?:as|comme|como|come|unter|als|nach)\s+|:\s*)?{_QUOTED})"
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
)

# the same account name as elsewhere, on a network
SAME_HANDLE_ELSEWHERE: tuple[Rule, ...] = (
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
    # the same name as here, then the network: "same username as here on twitter", "mesmo nome de
    # usuario daqui no insta", "نفس الاسم ديال هنا فالانستغرام"
    (
        (
            ("same", "meme", "mismo", "mesmo", "stesso", "gleich", "selbe", "nafs", "نفس"),
            (" here", "ici", "aqui", "daqui", "di qui", "hier", "هنا", "hna"),
        ),
        re.compile(
            r"(?:same|meme|mismo|mesmo|stesso|gleiche[rn]?|selbe[rn]?|nafs|نفس)\s+(?:\S+\s+){0,3}?"
            r"(?:as\s+|que\s+|qu'|che\s+|wie\s+|li\s+|d'|ديال\s+)?"
            r"(?:here|ici|aqui|daqui|di qui|qui|hier|hna|هنا)\W+(?:\S+\s+){0,1}?"
            r"(?:(?:on|sur|en|em|no|na|su|auf|bei|f|3la)\s+)?(?:ف|فال|ال|بال|في\s+)?"
            rf"(?:{_NETWORK}|instagram|twitter|linkedin|youtube|fb|انستغرام|انستا|انستجرام|تيك توك|فيسبوك|فيس)"
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
)

# A handle spelled out: its separators written as words ("dentlab underscore paris", "cad ponto
# dental ponto br") or kept ("labo_lumiere"); it starts with no article ("at the point of ...").
_SPELLED_SEPARATOR = (
    r"\s+(?:underscore|underline|tiret bas|trait bas|guion bajo|unterstrich|point|punto|ponto|punkt|dot)\s+"
)
_SPELLED_HANDLE = (
    r"(?!(?:the|a|an|le|la|les|el|los|las|il|lo|o|os|der|die|das|un|une|uno|una|um|uma)\b)"
    rf"[a-z][a-z0-9_.]*(?:{_SPELLED_SEPARATOR}[a-z0-9]+)+|(?=[a-z0-9_.]*[._\d])[a-z][a-z0-9_.]*[a-z0-9]"
)
# Saying who one is on the network, before the spelled "@": "je suis", "soy", "como", "ich bin", "ana".
_I_AM = (
    r"(?:i'm|i am|im|je suis|je m'appelle|moi c'est|soy|me llamo|sou|me chamo|sono|mi chiamo|como|come|comme|"
    r"ich bin|bin ich|bin|ich heisse|heisse ich|ana|انا)"
)

HANDLES_AT_SPELLED_OUT: tuple[Rule, ...] = (
    # a handle on a network, "at" spelled out: "tiktok ät cad_kathi", "insta chiocciola luca.cad"
    (
        (
            ("tiktok", "insta", "twitter", "snap", "threads", "facebook"),
            ("at", "chiocciola", "arroba", "arobase", "klammeraffe"),
        ),
        re.compile(
            rf"{_NETWORK}\s+(?:at sign|at|chiocciola|arroba|arobase|klammeraffe)\s+"
            r"(?=[a-z0-9_.]*[._\d])[a-z][a-z0-9_.]*[a-z0-9]"
        ),
        SOCIAL,
        "Points to an account on a social network",
    ),
    # the writer's name on the network given with a spelled "@", its separators spelled or kept:
    # "sur insta je suis arobase labo_lumiere", "on tiktok I'm at sign ceramic underscore nina" (from
    # the network on, so that the request naming it, "me acha no insta", and the handle make one finding)
    (
        (_NETWORK_HINTS, ("at", "chiocciola", "arroba", "arobase", "klammeraffe")),
        re.compile(
            rf"{_NETWORK}[^.!?\n]{{0,30}}?\b{_I_AM}\s+(?:at sign|at|chiocciola|arroba|arobase|klammeraffe)\s+"
            rf"(?:{_SPELLED_HANDLE})"
        ),
        SOCIAL,
        "Points to an account on a social network",
    ),
    # or after a colon, "c'est" or "name": "tiktok dyali: ahmed point cad point ma", "mon pseudo insta
    # c'est ceramique point julie"
    (
        (_NETWORK_HINTS, (":", "c'est", " es ", " is ", " ist ", "nom", "name", "nombre", "nome")),
        re.compile(
            rf"{_NETWORK}[^.!?\n]{{0,30}}?(?::|\bc'est|\bes|\bist|\bis|\bnom|\bname|\bnombre|\bnome|\bnamen)\s*"
            rf"(?:{_SPELLED_HANDLE})"
        ),
        SOCIAL,
        "Points to an account on a social network",
    ),
)
