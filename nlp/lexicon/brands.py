"""Apps, networks and payment services, and how people write their names (folded: see
`nlp.normalise.fold`), Arabic forms with the prefixes Arabic attaches (`with_articles`)."""

from __future__ import annotations

from dataclasses import dataclass

from nlp.findings import MESSAGING_APP, OFF_PLATFORM_PAYMENT, SOCIAL
from nlp.lexicon.ar import with_articles


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
    # Forms that only say how something is handed over ("en mano", "in mano"): only right after a
    # word for paying ("te lo pago en mano", not "entrego en mano los modelos").
    after_pay: bool = False


def _whatsapp_by_ear() -> tuple[str, ...]:
    """WhatsApp as people write it by ear in their language: an onset (w, wh, u, v, gu, ou), a
    vowel, "ts"/"z"-like consonants and "ap" ("uatsap", "uozzap", "vozap", "wottsapp", "uatizapi").
    None of them is a word of the seven languages."""
    middles = ("ts", "tts", "tz", "s", "ss", "z", "zz", "tis", "tiz", "tiss", "ds")
    return tuple(
        onset + vowel + middle + ending
        for onset in ("w", "wh", "u", "v", "gu", "ou")
        for vowel in ("a", "o")
        for middle in middles
        # (and as a verb: "ouatsape-moi", "guasapéame", "wasapearte")
        for ending in ("ap", "app", "api", "appi", "ape", "appe", "apeame", "apearte", "apeo")
    ) + ("whtsapp", "whtsap", "wats'app", "whats'app", "w/app")


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
            *_whatsapp_by_ear(),
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
    Brand("Behance", SOCIAL, ("behance",)),
    Brand("Mastodon", SOCIAL, ("mastodon",)),
    Brand("Twitch", SOCIAL, ("twitch",)),
    Brand("Bluesky", SOCIAL, ("bluesky",)),
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
            "contanti",
            "especes",
            "bar bei",
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
    # cash handed over in person: "te lo pago en mano", "pago em mãos", "in mano", "de la main à la main"
    Brand(
        "cash in hand",
        OFF_PLATFORM_PAYMENT,
        (
            "en mano",
            "em maos",
            "em mao",
            "in mano",
            "cash in hand",
            "in die hand",
            "de la main a la main",
            "en main propre",
        ),
        needs_cue=True,
        after_pay=True,
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
