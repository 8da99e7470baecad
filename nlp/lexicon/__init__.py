"""Words the filter knows: brands, link hosts, e-mail providers, and per-language cues.

Everything is written folded (lower case, no accents: see `nlp.normalise.fold`) except the
per-language cue phrases, which are written naturally and folded when the matchers are built.
The cues of one language live in `nlp/lexicon/<lang>.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

from nlp.findings import MESSAGING_APP, OFF_PLATFORM_PAYMENT, SOCIAL
from nlp.lexicon import ar, de, en, es, fr, it, pt
from nlp.lexicon.ar import with_articles
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


@dataclass(frozen=True)
class Brand:
    """An app, network or payment service, and how people write its name.

    `ambiguous` forms are also ordinary words ("line", "signal", "x", "wise", "zelle") and
    only count in a tight contact or payment context.
    """

    name: str
    kind: str
    forms: tuple[str, ...]
    ambiguous: tuple[str, ...] = ()
    # Forms that are common words ("cash", "bar"): only a sentence with a payment cue is read.
    needs_cue: bool = False


APPS = (
    Brand(
        "WhatsApp",
        MESSAGING_APP,
        (
            "whatsapp",
            "whats app",
            "what's app",
            "whatsap",
            "watsapp",
            "watsap",
            "wasap",
            "guasap",
            "whatsapp business",
            "wpp",
            "wsp",
            "zapzap",
            "zap zap",
            "whats",
            "vatsap",
            "vatsapp",
            "watsab",
            "watsapp",
            "wats app",
            "whatsup",
            "whatsaap",
            "wazap",
            "ouatsap",
            "wotsap",
            "uatsap",
            "uatsapp",
            "vocap",
            "uotsap",
            "uotsapp",
            "wtsp",
            "whtsp",
            "wtsap",
            "wozzap",
            "uozzap",
            "wozap",
            "guasa",
            "wasa",
            "guasapp",
            "w-a",
            *with_articles("واتساب", "واتس اب", "واتس", "وتساب", "واتسب", "وتس"),
        ),
        ("wa", "zap"),
    ),
    Brand(
        "Telegram",
        MESSAGING_APP,
        (
            "telegram",
            "telegramm",
            "telegrama",
            "telegramme",
            "telegramma",
            "tele gram",
            "tele gramm",
            "tele grama",
            "tele gramma",
            "telegrame",
            "telgram",
            "telegran",
            "telegrem",
            "telegrama app",
            *with_articles("تيليجرام", "تيليغرام", "تلغرام", "تليجرام", "تلجرام", "تيلجرام", "تيليكرام", "تليغرام"),
        ),
        ("tg", "tele"),
    ),
    Brand("Signal", MESSAGING_APP, ("signal app", "signal messenger", *with_articles("سيجنال", "سيغنال")), ("signal",)),
    Brand("Viber", MESSAGING_APP, ("viber", *with_articles("فايبر", "فيبر"))),
    Brand("imo", MESSAGING_APP, with_articles("ايمو"), ("imo",)),
    Brand("BOTIM", MESSAGING_APP, ("botim", *with_articles("بوتيم"))),
    Brand("Threema", MESSAGING_APP, ("threema",)),
    Brand("WeChat", MESSAGING_APP, ("wechat", "we chat", "weixin")),
    Brand("Line", MESSAGING_APP, ("line app", "line id"), ("line",)),
    Brand("KakaoTalk", MESSAGING_APP, ("kakaotalk", "kakao talk", "kakao", "katalk")),
    Brand("Skype", MESSAGING_APP, ("skype", *with_articles("سكايب"))),
    Brand("Discord", MESSAGING_APP, ("discord", *with_articles("ديسكورد"))),
    Brand(
        "Messenger",
        MESSAGING_APP,
        ("messenger", "fb messenger", "facebook messenger", *with_articles("ماسنجر", "مسنجر")),
    ),
    Brand("Zoom", MESSAGING_APP, ("zoom call", "zoom meeting"), ("zoom",)),
    Brand("Google Meet", MESSAGING_APP, ("google meet", "gmeet"), ("meet",)),
    Brand("Microsoft Teams", MESSAGING_APP, ("microsoft teams", "ms teams", *with_articles("تيمز")), ("teams",)),
    Brand("FaceTime", MESSAGING_APP, ("facetime",)),
    Brand(
        "Instagram",
        SOCIAL,
        (
            "instagram",
            "instagramm",
            "insta",
            "instagrm",
            *with_articles("انستغرام", "انستجرام", "انستقرام", "انستاغرام", "انستا"),
        ),
        ("ig",),
    ),
    Brand("Facebook", SOCIAL, ("facebook", "facebok", *with_articles("فيسبوك", "فيس بوك", "فيس")), ("fb", "face")),
    Brand("LinkedIn", SOCIAL, ("linkedin", "linked in", *with_articles("لينكدان", "لينكد ان", "لينكدين"))),
    Brand("XING", SOCIAL, ("xing",)),
    Brand("X (Twitter)", SOCIAL, ("twitter", *with_articles("تويتر")), ("x", "tw")),
    Brand("TikTok", SOCIAL, ("tiktok", "tik tok", *with_articles("تيك توك", "تيكتوك"))),
    Brand("Kwai", SOCIAL, ("kwai",)),
    Brand("YouTube", SOCIAL, ("youtube", "you tube", *with_articles("يوتيوب")), ("yt",)),
    Brand("Snapchat", SOCIAL, ("snapchat", *with_articles("سناب شات", "سنابشات", "سناب")), ("snap",)),
    Brand("Reddit", SOCIAL, ("reddit",)),
    Brand("Threads", SOCIAL, (), ("threads",)),
    Brand("Pinterest", SOCIAL, ("pinterest",)),
)

PAYMENT_METHODS = (
    Brand("PayPal", OFF_PLATFORM_PAYMENT, ("paypal", "pay pal", *with_articles("بايبال", "باي بال"))),
    Brand("Wise", OFF_PLATFORM_PAYMENT, ("transferwise",), ("wise",)),
    Brand("Payoneer", OFF_PLATFORM_PAYMENT, ("payoneer",)),
    Brand("Revolut", OFF_PLATFORM_PAYMENT, ("revolut",)),
    Brand("Venmo", OFF_PLATFORM_PAYMENT, ("venmo",)),
    Brand("Zelle", OFF_PLATFORM_PAYMENT, (), ("zelle",)),
    Brand("Cash App", OFF_PLATFORM_PAYMENT, ("cash app", "cashapp")),
    Brand(
        "Western Union", OFF_PLATFORM_PAYMENT, ("western union", "moneygram", *with_articles("ويسترن يونيون", "ويسترن"))
    ),
    Brand("Mercado Pago", OFF_PLATFORM_PAYMENT, ("mercado pago", "mercadopago")),
    Brand("boleto", OFF_PLATFORM_PAYMENT, ("boleto", "boleto bancario")),
    Brand("Klarna", OFF_PLATFORM_PAYMENT, ("klarna",)),
    Brand("cheque", OFF_PLATFORM_PAYMENT, ("cheque", "assegno", "scheck", *with_articles("شيك")), needs_cue=True),
    Brand("Stripe", OFF_PLATFORM_PAYMENT, ("stripe",)),
    Brand("Twint", OFF_PLATFORM_PAYMENT, ("twint",)),
    Brand("Apple Pay", OFF_PLATFORM_PAYMENT, ("apple pay", "google pay", "gpay", "picpay", "nequi", "yape")),
    Brand("Vodafone Cash", OFF_PLATFORM_PAYMENT, ("vodafone cash", *with_articles("فودافون كاش"))),
    Brand("InstaPay", OFF_PLATFORM_PAYMENT, ("instapay", "insta pay", *with_articles("انستاباي", "انستا باي"))),
    Brand("STC Pay", OFF_PLATFORM_PAYMENT, ("stc pay", "stcpay", "urpay")),
    Brand(
        "Moroccan transfer agencies",
        OFF_PLATFORM_PAYMENT,
        ("cashplus", "cash plus", "wafacash", "wafa cash", "كاش بلس", "وفا كاش", "orange money", "fawry"),
    ),
    Brand(
        "cash",
        OFF_PLATFORM_PAYMENT,
        (
            "cash",
            "in cash",
            "en especes",
            "en liquide",
            "en efectivo",
            "em dinheiro",
            "em especie",
            "in contanti",
            "in bar",
            "zahl bar",
            "bar zahlen",
            "bar bezahlen",
            "bar bei abholung",
            "barzahlung",
            *with_articles("كاش", "نقدا"),
        ),
        needs_cue=True,
    ),
    Brand("Skrill", OFF_PLATFORM_PAYMENT, ("skrill",)),
    Brand("Bizum", OFF_PLATFORM_PAYMENT, ("bizum",)),
    Brand("Pix", OFF_PLATFORM_PAYMENT, ("chave pix", "um pix", "o pix", "no pix"), ("pix",)),
    Brand("MB Way", OFF_PLATFORM_PAYMENT, ("mbway", "mb way")),
    Brand("Lydia", OFF_PLATFORM_PAYMENT, (), ("lydia",)),
    Brand("Paylib", OFF_PLATFORM_PAYMENT, ("paylib", "wero")),
    Brand("Satispay", OFF_PLATFORM_PAYMENT, ("satispay", "postepay")),
    Brand(
        "bank transfer",
        OFF_PLATFORM_PAYMENT,
        (
            "bank transfer",
            "wire transfer",
            "bank wire",
            "bank account",
            "iban",
            "virement",
            "virement bancaire",
            "rib",
            "transferencia bancaria",
            "deposito bancario",
            "cuenta bancaria",
            "conta bancaria",
            "bonifico",
            "bonifico bancario",
            "conto corrente",
            "uberweisung",
            "bankuberweisung",
            "bankverbindung",
            "kontodaten",
            "bankdaten",
            "bank details",
            "banking details",
            "datos bancarios",
            "dados bancarios",
            "coordonnees bancaires",
            "coordinate bancarie",
            "kontonummer",
            "sepa",
            "cbu",
            "cvu",
            "الحساب ديالي",
            "حسابي البنكي",
            "compte dyali",
            *with_articles("تحويل بنكي", "حوالة بنكية", "حساب بنكي", "رقم الحساب", "ايبان"),
            # the adjective takes the article too: "بالتحويل البنكي"
            *(
                p + n
                for n in ("التحويل البنكي", "الحوالة البنكية", "الحساب البنكي")
                for p in ("", "ب", "ف", "ع", "و", "ل")
            ),
        ),
        ("transferencia", "transfer", "wire", "deposito", "swift"),
    ),
    Brand("crypto", OFF_PLATFORM_PAYMENT, ("bitcoin", "btc", "usdt", "ethereum", "crypto", "krypto", "cripto")),
)

# Link hosts that say more than "a link": host suffix -> (kind, name).
LINK_HOSTS = {
    "wa.me": (MESSAGING_APP, "WhatsApp"),
    "whatsapp.com": (MESSAGING_APP, "WhatsApp"),
    "t.me": (MESSAGING_APP, "Telegram"),
    "telegram.me": (MESSAGING_APP, "Telegram"),
    "telegram.org": (MESSAGING_APP, "Telegram"),
    "signal.me": (MESSAGING_APP, "Signal"),
    "signal.group": (MESSAGING_APP, "Signal"),
    "viber.com": (MESSAGING_APP, "Viber"),
    "wechat.com": (MESSAGING_APP, "WeChat"),
    "weixin.qq.com": (MESSAGING_APP, "WeChat"),
    "line.me": (MESSAGING_APP, "Line"),
    "skype.com": (MESSAGING_APP, "Skype"),
    "discord.gg": (MESSAGING_APP, "Discord"),
    "discord.com": (MESSAGING_APP, "Discord"),
    "discordapp.com": (MESSAGING_APP, "Discord"),
    "m.me": (MESSAGING_APP, "Messenger"),
    "messenger.com": (MESSAGING_APP, "Messenger"),
    "zoom.us": (MESSAGING_APP, "Zoom"),
    "meet.google.com": (MESSAGING_APP, "Google Meet"),
    "instagram.com": (SOCIAL, "Instagram"),
    "instagr.am": (SOCIAL, "Instagram"),
    "facebook.com": (SOCIAL, "Facebook"),
    "fb.com": (SOCIAL, "Facebook"),
    "fb.me": (SOCIAL, "Facebook"),
    "linkedin.com": (SOCIAL, "LinkedIn"),
    "lnkd.in": (SOCIAL, "LinkedIn"),
    "twitter.com": (SOCIAL, "X (Twitter)"),
    "x.com": (SOCIAL, "X (Twitter)"),
    "tiktok.com": (SOCIAL, "TikTok"),
    "youtube.com": (SOCIAL, "YouTube"),
    "youtu.be": (SOCIAL, "YouTube"),
    "snapchat.com": (SOCIAL, "Snapchat"),
    "reddit.com": (SOCIAL, "Reddit"),
    "threads.net": (SOCIAL, "Threads"),
    "kakao.com": (MESSAGING_APP, "KakaoTalk"),
    "paypal.me": (OFF_PLATFORM_PAYMENT, "PayPal"),
    "paypal.com": (OFF_PLATFORM_PAYMENT, "PayPal"),
    "wise.com": (OFF_PLATFORM_PAYMENT, "Wise"),
    "revolut.me": (OFF_PLATFORM_PAYMENT, "Revolut"),
    "venmo.com": (OFF_PLATFORM_PAYMENT, "Venmo"),
}

# Link-in-bio and short-link services: where they lead is not on the page.
SHORT_LINK_HOSTS = (
    "linktr.ee",
    "bit.ly",
    "g.page",
    "goo.gl",
    "tinyurl.com",
    "t.co",
    "ow.ly",
    "is.gd",
    "cutt.ly",
    "rebrand.ly",
    "shorturl.at",
    "tiny.cc",
    "beacons.ai",
    "lnk.bio",
    "taplink.cc",
    "msha.ke",
    "linkin.bio",
    "bio.link",
    "wa.link",
    "s.id",
    "rb.gy",
    "qrco.de",
    "qr.page",
    "linkr.bio",
    "hoo.be",
    "flow.page",
)

# App link schemes ("whatsapp://send?phone=...", "skype:john.doe?call").
APP_SCHEMES = {
    "whatsapp": "WhatsApp",
    "tg": "Telegram",
    "viber": "Viber",
    "skype": "Skype",
    "weixin": "WeChat",
    "sgnl": "Signal",
    "discord": "Discord",
}

# Providers people name without a top-level domain: "john at gmail".
EMAIL_PROVIDERS = (
    "gmail",
    "googlemail",
    "hotmail",
    "yahoo",
    "outlook",
    "icloud",
    "protonmail",
    "proton",
    "gmx",
    "aol",
    "yandex",
    "libero",
    "laposte",
    "wanadoo",
    "msn",
    "tiscali",
    "virgilio",
    "mailru",
    "t-online",
    "ymail",
    "seznam",
    "zoho",
    "naver",
)
# Mailbox services named before an arrow: "gmx -> hans.m", "orange => luc.b" (words such as
# "free" or "orange" only count there).
MAILBOX_SERVICES = EMAIL_PROVIDERS + (
    "orange",
    "free",
    "sfr",
    "web.de",
    "gmx.de",
    "gmx.net",
    "uol",
    "bol",
    "terra",
    "live",
    "mail.ru",
    "yandex.ru",
    "qq",
    "163",
    "wp.pl",
    "o2",
    "alice",
    "tin",
    "sapo",
)

# Top-level domains worth flagging. File extensions (.stl, .ply, .zip, .mov) are left out.
TLDS = (
    "com",
    "net",
    "org",
    "info",
    "biz",
    "io",
    "co",
    "me",
    "app",
    "dev",
    "xyz",
    "site",
    "online",
    "store",
    "shop",
    "tech",
    "pro",
    "link",
    "email",
    "dental",
    "clinic",
    "health",
    "care",
    "studio",
    "design",
    "eu",
    "fr",
    "be",
    "ch",
    "lu",
    "ca",
    "us",
    "uk",
    "ie",
    "de",
    "at",
    "es",
    "pt",
    "br",
    "it",
    "nl",
    "mx",
    "ar",
    "cl",
    "pe",
    "uy",
    "ve",
    "ec",
    "bo",
    "au",
    "nz",
    "za",
    "in",
    "ru",
    "cn",
    "jp",
    "ly",
    "gl",
    "gg",
    "to",
    "tv",
    "cc",
    "ws",
    "ma",
    "dz",
    "tn",
    "ro",
    "gr",
    "se",
    "no",
    "dk",
    "fi",
    "cz",
    "sk",
    "hu",
)
# TLDs that are also words ("point de contact", "look at it"): never after a spelled "dot".
WORD_TLDS = frozenset(
    (
        "de",
        "it",
        "es",
        "at",
        "be",
        "me",
        "in",
        "us",
        "to",
        "no",
        "co",
        "pro",
        "link",
        "email",
        "care",
        "design",
        "studio",
        "store",
        "shop",
        "site",
        "online",
        "app",
        "dental",
        "clinic",
        "health",
        "tech",
        "ma",
        "se",
    )
)

# Prepositions that may stand between a cue and an ambiguous name: "add me ON Line".
PREPOSITIONS = frozenset(
    "on in at via over through by with to onto "
    "sur par en a au "
    "por al "
    "no na em pelo pela pro pra "
    "su per tramite con "
    "auf uber per bei mit im am "
    "3la 3ala f fi b "  # Darija, in Latin letters
    "على في ب عبر".split()  # and in Arabic script
)
# Object pronouns that may stand there too: "add ME on Line", "schreib MIR auf Signal".
PRONOUNS = frozenset("me moi m' mi mich mir".split())

# What joins a name to a handle: "insta: @lab", "my signal is ...", "skype id = john.d".
HANDLE_JOINERS = frozenset(
    ": = - -> > => is id handle username user name account c'est est es e ist lautet "
    "pseudo usuario utente nome sono soy sou bin suis como come als".split()
)
