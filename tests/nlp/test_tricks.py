"""Every disguise the issue lists, and every kind of dental talk it must leave alone.

Each case names what must be found as (kind, needle): a finding of that kind whose text
contains the needle. No other kind may be reported.
"""

from __future__ import annotations

import pytest

from nlp import find_contacts

EMAIL, PHONE, APP, SOCIAL, URL, PAY = ("email", "phone", "messaging_app", "social", "url", "off_platform_payment")

FOUND = {
    # --- e-mail addresses -------------------------------------------------------------
    "email plain": ("en", "my address is anna.k@cadlab.com", [(EMAIL, "anna.k@cadlab.com")]),
    "email dot/at words": ("en", "john dot doe at gmail", [(EMAIL, "john dot doe at gmail")]),
    "email spaced letters": ("en", "j o h n @ g m a i l . c o m", [(EMAIL, "j o h n @ g m a i l . c o m")]),
    "email (at)(dot)": ("en", "john(at)gmail(dot)com", [(EMAIL, "john(at)gmail(dot)com")]),
    "email [at]": ("en", "john [at] gmail [dot] com", [(EMAIL, "john [at] gmail [dot] com")]),
    "email @ gmail": ("en", "send it to johnsmith @ gmail", [(EMAIL, "johnsmith @ gmail")]),
    "email arobase point": (
        "fr",
        "jean point dupont arobase orange point fr",
        [(EMAIL, "jean point dupont arobase orange point fr")],
    ),
    "email chez": ("fr", "écris à julie chez free point fr", [(EMAIL, "julie chez free point fr")]),
    "email arroba punto": (
        "es",
        "juan punto perez arroba hotmail punto com",
        [(EMAIL, "juan punto perez arroba hotmail punto com")],
    ),
    "email arroba ponto": (
        "pt",
        "joao ponto silva arroba uol ponto com ponto br",
        [(EMAIL, "joao ponto silva arroba uol ponto com ponto br")],
    ),
    "email chiocciola": (
        "it",
        "mario punto rossi chiocciola libero punto it",
        [(EMAIL, "mario punto rossi chiocciola libero punto it")],
    ),
    "email Punkt ät": ("de", "hans punkt mueller ät gmx punkt de", [(EMAIL, "hans punkt mueller ät gmx punkt de")]),
    "email full-width": (None, "ｊｏｈｎ＠ｇｍａｉｌ．ｃｏｍ", [(EMAIL, "ｊｏｈｎ＠ｇｍａｉｌ．ｃｏｍ")]),
    "email Cyrillic a": ("en", "anna@gmаil.com", [(EMAIL, "anna@gmаil.com")]),
    "email zero-width space": ("en", "anna@\u200bgmail.com", [(EMAIL, "anna@\u200bgmail.com")]),
    # --- phone numbers ------------------------------------------------------------------
    "phone FR": ("fr", "appelle le 06 12 34 56 78", [(PHONE, "06 12 34 56 78")]),
    "phone international": ("en", "+44 7700 900123 any time", [(PHONE, "+44 7700 900123")]),
    "phone US": ("en", "my cell (646) 298-1174", [(PHONE, "(646) 298-1174")]),
    "phone ES": ("es", "móvil 612 34 56 78", [(PHONE, "612 34 56 78")]),
    "phone PT": ("pt", "telemóvel 912 345 678", [(PHONE, "912 345 678")]),
    "phone BR": ("pt", "celular (11) 98765-4321", [(PHONE, "(11) 98765-4321")]),
    "phone IT": ("it", "cellulare 347 123 4567", [(PHONE, "347 123 4567")]),
    "phone DE": ("de", "Handy 0151 23456789", [(PHONE, "0151 23456789")]),
    "phone E.164": (None, "+33612345678", [(PHONE, "+33612345678")]),
    "phone without +": ("en", "it's 33612345678", [(PHONE, "33612345678")]),
    "phone spaces everywhere": ("fr", "0 6 1 2 3 4 5 6 7 8", [(PHONE, "0 6 1 2 3 4 5 6 7 8")]),
    "phone dots": ("fr", "0.6.1.2.3.4.5.6.7.8", [(PHONE, "0.6.1.2.3.4.5.6.7.8")]),
    "phone dashes": ("fr", "0-6-1-2-3-4-5-6-7-8", [(PHONE, "0-6-1-2-3-4-5-6-7-8")]),
    "phone slashes": ("de", "0151/2345/6789", [(PHONE, "0151/2345/6789")]),
    "phone split lines": ("fr", "mon num\n06 12\n34 56 78", [(PHONE, "06 12\n34 56 78")]),
    "phone full-width": ("fr", "０６ １２ ３４ ５６ ７８", [(PHONE, "０６ １２ ３４ ５６ ７８")]),
    "phone keycaps": ("fr", "0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣", [(PHONE, "0️⃣6️⃣1️⃣2️⃣3️⃣4️⃣5️⃣6️⃣7️⃣8️⃣")]),
    "phone Arabic-Indic digits": (None, "+٣٣ ٦ ١٢ ٣٤ ٥٦ ٧٨", [(PHONE, "+٣٣ ٦ ١٢ ٣٤ ٥٦ ٧٨")]),
    "phone O and l": ("fr", "tel O6 l2 34 56 78", [(PHONE, "O6 l2 34 56 78")]),
    "phone I and |": ("fr", "06 I2 34 56 7|8", [(PHONE, "06 I2 34 56 7|8")]),
    "phone words en": (
        "en",
        "oh seven seven double oh nine oh oh one two three",
        [(PHONE, "oh seven seven double oh nine oh oh one two three")],
    ),
    "phone words fr": (
        "fr",
        "zéro six douze trente-quatre cinquante-six soixante-dix-huit",
        [(PHONE, "zéro six douze trente-quatre cinquante-six soixante-dix-huit")],
    ),
    "phone words es": (
        "es",
        "seis uno dos tres cuatro cinco seis siete ocho",
        [(PHONE, "seis uno dos tres cuatro cinco seis siete ocho")],
    ),
    "phone words pt": (
        "pt",
        "nove um dois, três quatro cinco, seis sete oito",
        [(PHONE, "nove um dois, três quatro cinco, seis sete oito")],
    ),
    "phone words it": (
        "it",
        "tre quattro sette, uno due tre, quattro cinque sei sette",
        [(PHONE, "tre quattro sette, uno due tre, quattro cinque sei sette")],
    ),
    "phone words de": (
        "de",
        "null eins fünf eins zwei drei vier fünf sechs sieben acht neun",
        [(PHONE, "null eins fünf eins zwei drei vier fünf sechs sieben acht neun")],
    ),
    "phone tens in words": (
        "es",
        "seis doce treinta y cuatro cincuenta y seis setenta y ocho",
        [(PHONE, "seis doce treinta y cuatro cincuenta y seis")],
    ),
    "phone words and digits": ("fr", "06 douze 34 cinquante-six 78", [(PHONE, "06 douze 34 cinquante-six 78")]),
    "phone after a tel cue": ("en", "tel: 0611 2233 44", [(PHONE, "0611 2233 44")]),
    # --- messaging apps and social accounts -----------------------------------------------
    "app add me on": ("en", "add me on telegram", [(APP, "telegram")]),
    "app handle": ("en", "telegram: @dentalcad_pro", [(APP, "@dentalcad_pro")]),
    "app handle before": ("en", "@anna_cad on telegram", [(APP, "telegram")]),
    "app with number": ("en", "whatsapp +44 7700 900123", [(APP, "whatsapp"), (PHONE, "+44 7700 900123")]),
    "app as a verb": ("en", "just whatsapp me", [(APP, "whatsapp")]),
    "app asked for": ("en", "what's your whatsapp?", [(APP, "whatsapp")]),
    "app question fr": ("fr", "Tu as Telegram ?", [(APP, "Telegram")]),
    "app continue es": ("es", "sigamos por WhatsApp", [(APP, "WhatsApp")]),
    "app zap pt": ("pt", "me chama no zap", [(APP, "zap")]),
    "app it": ("it", "scrivimi su Viber", [(APP, "Viber")]),
    "app de": ("de", "Füg mich auf Telegram hinzu", [(APP, "Telegram")]),
    "app wa.me link": (None, "wa.me/33612345678", [(APP, "wa.me/33612345678")]),
    "app t.me link": (None, "https://t.me/annacad", [(APP, "t.me/annacad")]),
    "app t . me spaced": ("en", "t . me / annacad", [(APP, "t . me / annacad")]),
    "app spaced letters": ("en", "text me on w h a t s a p p", [(APP, "w h a t s a p p")]),
    "app dotted letters": ("en", "add me on w.h.a.t.s.a.p.p", [(APP, "w.h.a.t.s.a.p.p")]),
    "app Line in context": ("en", "add me on Line", [(APP, "Line")]),
    "app Line id": ("es", "Agrégame en Line, usuario carlos_cad", [(APP, "Line")]),
    "app Signal in context": ("fr", "je suis sur Signal", [(APP, "Signal")]),
    "app my signal is": ("en", "my signal is @annacad", [(APP, "signal")]),
    "app WeChat": ("en", "WeChat: annak_cad", [(APP, "WeChat")]),
    "app Skype": ("en", "my skype is anna.kowalski", [(APP, "skype")]),
    "app Discord": ("en", "join me on discord", [(APP, "discord")]),
    "social my IG is": ("en", "my IG is smile.design.lab", [(SOCIAL, "IG is smile.design.lab")]),
    "social insta handle": ("en", "insta @anna.cad.design", [(SOCIAL, "insta @anna.cad.design")]),
    "social follow me on X": ("en", "follow me on X", [(SOCIAL, "X")]),
    "social X handle": ("en", "X: @annacad", [(SOCIAL, "@annacad")]),
    "social link": (None, "instagram.com/smile.lab", [(SOCIAL, "instagram.com/smile.lab")]),
    "social facebook fr": ("fr", "suis-moi sur Facebook", [(SOCIAL, "Facebook")]),
    "social linkedin de": ("de", "Kontaktiere mich über LinkedIn", [(SOCIAL, "LinkedIn")]),
    "social tiktok it": ("it", "seguimi su TikTok", [(SOCIAL, "TikTok")]),
    "social youtube es": ("es", "sígueme en YouTube", [(SOCIAL, "YouTube")]),
    "social bare handle before": ("en", "kim_dental on snapchat", [(SOCIAL, "snapchat")]),
    # --- links ---------------------------------------------------------------------------
    "url https": ("en", "see https://www.lab-smile.fr/contact.", [(URL, "lab-smile.fr/contact")]),
    "url www": ("en", "www.cadbyanna.com", [(URL, "www.cadbyanna.com")]),
    "url bare": ("en", "my site cadbyanna.com/cases", [(URL, "cadbyanna.com/cases")]),
    "url spelled dot": ("en", "cadbyanna dot com", [(URL, "cadbyanna dot com")]),
    "url point fr": ("fr", "monsite point fr", [(URL, "monsite point fr")]),
    "url file sharing": ("en", "https://drive.google.com/file/d/abc", [(URL, "drive.google.com")]),
    # --- off the platform ----------------------------------------------------------------
    "pay PayPal": ("en", "pay me by PayPal", [(PAY, "PayPal")]),
    "pay Wise": ("en", "can you pay via Wise instead?", [(PAY, "Wise")]),
    "pay bank transfer": (
        "en",
        "let's settle by bank transfer to avoid the fee",
        [(PAY, "bank transfer"), (PAY, "avoid the fee")],
    ),
    "pay paypal.me": (None, "paypal.me/annacad", [(PAY, "paypal.me/annacad")]),
    "pay IBAN": ("fr", "IBAN FR76 3000 6000 0112 3456 7890 189", [(PAY, "FR76 3000 6000 0112 3456 7890 189")]),
    "pay virement": ("fr", "tu peux me payer par virement", [(PAY, "virement")]),
    "pay Bizum": ("es", "págame por Bizum", [(PAY, "Bizum")]),
    "pay Pix": ("pt", "me paga no Pix", [(PAY, "Pix")]),
    "pay bonifico": ("it", "pagami con bonifico", [(PAY, "bonifico")]),
    "pay Überweisung": ("de", "zahl per Überweisung", [(PAY, "Überweisung")]),
    "pay verb": ("en", "just zelle me the $40", [(PAY, "zelle me")]),
    "outside the site": ("en", "write me outside the site", [(PAY, "outside the site")]),
    "outside fr": ("fr", "écris-moi en dehors du site", [(PAY, "en dehors du site")]),
    "outside es": ("es", "escríbeme fuera de la plataforma", [(PAY, "fuera de la plataforma")]),
    "outside pt": ("pt", "me escreve fora da plataforma", [(PAY, "fora da plataforma")]),
    "outside it": ("it", "scrivimi fuori dalla piattaforma", [(PAY, "fuori dalla piattaforma")]),
    "outside de": ("de", "schreib mir außerhalb der Plattform", [(PAY, "außerhalb der Plattform")]),
    "bypass fee": ("en", "we could skip the 9% commission", [(PAY, "skip the 9% commission")]),
    "bypass sans passer": ("fr", "sans passer par la plateforme", [(PAY, "sans passer par")]),
    "asks for details": ("en", "send me your email", [(EMAIL, "send me your email")]),
    "asks bare": ("fr", "Vos coordonnées svp", [(PAY, "Vos coordonnées")]),
    "call me": ("en", "Call me tomorrow", [(PAY, "Call me")]),
    "ruf mich an": ("de", "Ruf mich an!", [(PAY, "Ruf mich an")]),
}

CLEAN = {
    "FDI tooth list": ("en", "Please check teeth 11 12 13 21 22 23 before delivery."),
    "FDI full arch": ("en", "Teeth 18 17 16 15 14 13 12 11 21 22 23 24 25 26 27 28, all crowns."),
    "Universal numbers": ("en", "Universal: crowns on 2 3 4 5 6 7 8 9 10, #14 and #19."),
    "tooth range": ("en", "Bridge 21-23 with pontic on 22, 3M2 shade."),
    "quadrant notation": ("en", "Quadrant 2: UR6, UL6 missing, Q3 complete."),
    "measurements": ("en", "Cement gap 0.05 mm, margin 1,2mm, spacer 12 µm, 0.8 1.0 1.2 1.5 mm."),
    "prices": ("en", "$7 per unit, 45 EUR per arch, 1.250,00 € in total for 10 units."),
    "dates and times": ("en", "Due 13/03/2025 at 14:30, or 2025-03-14 09:00, or 15.03.25."),
    "case ids": ("en", "Case 2024-0113, order LAB-88213, then 2025-0443, ref 021.5310."),
    "lot numbers": ("de", "Charge 2210456789, Art.-Nr. K1043.4311, LOT 22A1045."),
    "file names": ("en", "Uploaded upper_scan.stl, IMG_4821.jpg, scan_20240113_153012.ply."),
    "file name with digits first": ("en", "See 20250113_094512.jpg from the dentist."),
    "software versions": ("en", "exocad 3.2 Elefsina, 3Shape 2024, DentalCAD 3.1 Rijeka."),
    "shades": ("en", "Shades A2, A3.5, 3M2, BL1, 2L1.5."),
    "implant parts": ("en", "Straumann BLX 4.5 x 10 mm RB, NobelActive NP 3.5x13, 17° MUA."),
    "platform @-mention": ("en", "@Maria can you check the contact point on 36?"),
    "platform link": ("en", "See https://occlusa.com/cases/2024-0113 and app.occlusa.com/help"),
    "margin line": ("en", "Follow the margin line, move the line up 0.2 mm on 46."),
    "scanner signal": ("en", "The signal from the scanner was noisy around 27."),
    "X axis": ("en", "Rotate 10° around the X axis, then section at 0.3 mm."),
    "wise choice": ("en", "Wise choice going with lithium disilicate."),
    "third-party WhatsApp": ("en", "The dentist sent the photos on WhatsApp, I uploaded them."),
    "negated": ("en", "We can't continue on WhatsApp, it's against the rules."),
    "platform payment": ("en", "Payment is held by the platform until Transaction complete."),
    "rush fee": ("en", "To avoid the rush fee, upload the scans before 10 am."),
    "frais d'urgence": ("fr", "Pour éviter les frais d'urgence, envoie les scans avant 10h."),
    "in case": ("en", "In case the scan is empty, upload it again."),
    "line fr": ("fr", "La ligne de finition doit suivre le scan, point de contact à 0,1 mm."),
    "point de vue": ("fr", "Au point de vue esthétique, la 11 est trop longue."),
    "spelled small numbers": ("es", "Dos coronas y tres carillas, uno dos tres, listo."),
    "um unit": ("pt", "Espaço de 50 um e 12 µm nas cúspides 16 17 26 27."),
    "German numbers": ("de", "Zähne 11 12 13, Stärke 0,6 mm, Farbe A2, Fall 2024-0288."),
    "your scan": ("en", "Your scan of 36 is fine, your number of units is 4."),
}


@pytest.mark.parametrize("lang, text, expected", FOUND.values(), ids=FOUND.keys())
def test_finds_disguised_contacts(lang, text, expected):
    findings = find_contacts(text, lang)

    for kind, needle in expected:
        assert any(f.kind == kind and needle in f.text for f in findings), (
            kind,
            needle,
            [(f.kind, f.text) for f in findings],
        )
    assert {f.kind for f in findings} <= {kind for kind, _ in expected}


@pytest.mark.parametrize("lang, text", CLEAN.values(), ids=CLEAN.keys())
def test_leaves_dental_talk_alone(lang, text):
    assert find_contacts(text, lang) == []


@pytest.mark.parametrize("lang", [None, "en", "fr", "es", "pt", "it", "de", "pt_BR", "FR-ca", "ja"])
def test_any_language_or_none(lang):
    findings = find_contacts("add me on telegram, +33 6 12 34 56 78", lang)

    assert [f.kind for f in findings] == ["messaging_app", "phone"]


@pytest.mark.parametrize(
    "text, lang, handle",
    [
        ("sur insta je suis @atelier.ceram, passe par là", "fr", "@atelier.ceram"),
        ("auf Instagram findest du mich als @zahnwerk.berlin", "de", "@zahnwerk.berlin"),
        ("on telegram I answer faster 👉 @lab.kim", "en", "@lab.kim"),
    ],
)
def test_a_handle_presented_further_on_in_the_apps_sentence(text, lang, handle):
    findings = find_contacts(text, lang)

    assert any(handle in f.text and f.kind in ("social", "messaging_app") for f in findings)


def test_an_at_mention_after_an_app_named_in_passing_is_left_alone():
    assert find_contacts("the dentist sent it on WhatsApp, @giulia can you check 36?", "en") == []


@pytest.mark.parametrize(
    "text, lang",
    [
        ("tenho Viber também, me adiciona", "pt"),
        ("I have Telegram too, add me!", "en"),
        ("look me up on LinkedIn, Peter Hawkins CDT", "en"),
        ("búscame en Instagram, salgo como Laura Gil", "es"),
        ("such mich auf Instagram, Dentallabor Adler", "de"),
    ],
)
def test_searching_for_the_writer_on_an_app_or_network(text, lang):
    assert find_contacts(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("the dentist sent the photos on WhatsApp, write me when they are uploaded", "en"),
        ("le patient a envoyé les photos par WhatsApp, écris-moi quand tu les as vues", "fr"),
        ("the clinic uses WhatsApp, contact me here if anything is missing", "en"),
    ],
)
def test_an_app_named_in_passing_before_a_request_for_a_message_here(text, lang):
    assert find_contacts(text, lang) == []


@pytest.mark.parametrize(
    "text, lang",
    [
        ("my number starts with 0770 090. the rest is 0461", "en"),
        ("mon numéro : 06 12 34, la suite 56 78", "fr"),
        ("tel 0151 234. Danach 56789", "de"),
    ],
)
def test_a_number_given_in_two_pieces(text, lang):
    assert [f.kind for f in find_contacts(text, lang)] == ["phone"]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("Numero del caso 2024 0113. Dente 36", "it"),
        ("número de pedido 5512 0938. Dientes 36 46", "es"),
        ("Order number 4812 0933. Then 77 units", "en"),
    ],
)
def test_a_reference_number_and_teeth_in_the_next_sentence_are_no_phone(text, lang):
    assert find_contacts(text, lang) == []


def test_s_for_five_inside_a_digit_group():
    assert [f.text for f in find_contacts("4l5 5SS Ol32 is my cell", "en")] == ["4l5 5SS Ol32"]


@pytest.mark.parametrize(
    "text, lang",
    [("SIRET 732 829 320 00074 sur la facture", "fr"), ("Steuernummer 12/345/67890", "de"), ("NIF 501 964 843", "pt")],
)
def test_tax_and_company_numbers_are_no_phone(text, lang):
    assert find_contacts(text, lang) == []


@pytest.mark.parametrize(
    "text, lang",
    [
        ("tout est sur mon linktree", "fr"),
        ("te dejo el QR para que me escribas", "es"),
        ("my QR is on my profile picture", "en"),
        ("I'm @anna.cad everywhere", "en"),
    ],
)
def test_links_and_handles_offered_without_an_address(text, lang):
    assert find_contacts(text, lang)


@pytest.mark.parametrize(
    "text, lang",
    [
        ("scan the UDI QR on the box", "en"),
        ("scan the QR code on the box, it is the implant's UDI", "en"),
        ("te dejo el QR del lote", "es"),
        ("@marc_lab everywhere on this case the margins are thin", "en"),
    ],
)
def test_product_codes_and_mentions_stay_dental_talk(text, lang):
    assert find_contacts(text, lang) == []


@pytest.mark.parametrize(
    "text, lang",
    [
        ("let's move this to Tele-gram", "en"),
        ("scrivimi su uotsap", "it"),
        ("ich bin auf Threema, ID folgt", "de"),
        ("rajoute-moi sur Signal", "fr"),
        ("me manda mensagem no Signal", "pt"),
        ("o formulário está no link na minha bio", "pt"),
        ("das Formular ist im Link in meiner Bio", "de"),
        ("zidni f wtsp, ghadi nsift lik tswira", "ar"),
    ],
)
def test_more_spellings_cues_and_link_in_bio(text, lang):
    assert find_contacts(text, lang)


def test_ids_joined_by_darija_and_are_references():
    assert find_contacts("commandes 9901928844 w 9901928845, dossier 2025-1111", "ar") == []
