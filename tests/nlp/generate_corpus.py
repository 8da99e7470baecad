"""Generate the synthetic part of the contact-filter corpus: tests/nlp/corpus/generated.jsonl.

Run from the repository root: `.venv/bin/python tests/nlp/generate_corpus.py`. The output is
deterministic (fixed seed) and committed. Positives put one contact detail, formatted or
disguised the way people do it, after a line of ordinary case talk; negatives are case talk
dense with numbers that a naive filter takes for phone numbers, and harmless mentions of
apps and payments. It deliberately does not import `nlp`: the corpus must not be shaped by
the code it measures. The harder, less regular cases are hand-written (hand_<lang>.jsonl).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

OUT = Path(__file__).parent / "corpus" / "generated.jsonl"
# What may join a request to the detail it announces: "call me ON ..." (as in nlp.findings).
_JOINT = re.compile(r"[\s:,=>-]*(?:[^\W\d_]{1,5}[\s:,=>-]+)?")
SEED = 20250113
PER_LANGUAGE = {"phone": 10, "email": 4, "app": 4, "social": 3, "url": 2, "payment": 2, "negative": 25}

LANGS = {
    "en": dict(
        requests=("call me", "save the fee"),
        regions=("US", "GB", "CA", "AU", "IE"),
        digits="zero one two three four five six seven eight nine".split(),
        at_dot=("at", "dot"),
        openers=[
            "Crown on {tooth} is done, margin {mm} mm.",
            "Thanks for case {case}.",
            "Bite looks fine on {teeth}.",
            "Revision uploaded, shade {shade}.",
            "Scans received ({file}).",
            "Delivery {date} works.",
        ],
        phone=[
            "My number is {x}",
            "call me on {x}",
            "{x} is my cell",
            "here: {x}",
            "reach me at {x} if it's urgent",
            "mobile {x}",
        ],
        email=["my email is {x}", "write to {x}", "{x} for the invoices", "mail: {x}"],
        app=[
            "add me on {app}: {handle}",
            "let's talk on {app}, I'm {handle}",
            "my {app} is {handle}",
            "{app} {handle} is faster",
            "find me on {app} ({handle})",
        ],
        pay=["pay me through {method} and save the fee", "can you pay by {method} directly?"],
        url=["see my work at {x}", "portfolio: {x}"],
        negatives=[
            "Please check teeth {teeth}, incisal length +{mm} mm.",
            "Case {case}: crown on {tooth}, shade {shade}, cement gap {mm} mm.",
            "Lot {lot}, implant {implant}, delivered {date} at {time}.",
            "Price {price} per unit, {units} units, file {file}.",
            "Order {order}: {units} units, due {date}, thickness {range} mm.",
            "@{name} can you look at {tooth} and {tooth2} before {time}?",
            "The dentist sent the photos via {app}, they are uploaded in the case now.",
            "Payment for case {case} was released, payout by {date}.",
            "Contacts {range} mm on {teeth}, no contact on {tooth} in lateral.",
            "exocad {version}, export {file}, scan of {date}.",
        ],
    ),
    "fr": dict(
        requests=("appelle-moi", "on évite la commission"),
        regions=("FR", "BE", "CH", "LU"),
        digits="zéro un deux trois quatre cinq six sept huit neuf".split(),
        at_dot=("arobase", "point"),
        openers=[
            "Couronne sur {tooth} terminée, limite {mm} mm.",
            "Merci pour le cas {case}.",
            "L'occlusion est bonne sur {teeth}.",
            "Révision envoyée, teinte {shade}.",
            "Scans bien reçus ({file}).",
            "Livraison le {date}, c'est bon.",
        ],
        phone=[
            "Mon numéro : {x}",
            "appelle-moi au {x}",
            "{x} c'est mon portable",
            "voici : {x}",
            "joignable au {x} si urgent",
            "portable {x}",
        ],
        email=["mon mail : {x}", "écris-moi à {x}", "{x} pour les factures", "adresse : {x}"],
        app=[
            "ajoute-moi sur {app} : {handle}",
            "on passe sur {app} ? je suis {handle}",
            "mon {app} c'est {handle}",
            "{app} {handle}, c'est plus rapide",
            "retrouve-moi sur {app} ({handle})",
        ],
        pay=["paie-moi par {method}, on évite la commission", "tu peux me payer via {method} ?"],
        url=["mes travaux sur {x}", "portfolio : {x}"],
        negatives=[
            "Vérifie les dents {teeth}, bord incisif +{mm} mm.",
            "Cas {case} : couronne sur {tooth}, teinte {shade}, espace ciment {mm} mm.",
            "Lot {lot}, implant {implant}, livré le {date} à {time}.",
            "Prix {price} par élément, {units} unités, fichier {file}.",
            "Commande {order} : {units} unités, pour le {date}, épaisseur {range} mm.",
            "@{name} tu peux regarder la {tooth} et la {tooth2} avant {time} ?",
            "Le dentiste a envoyé les photos par {app}, elles sont dans le cas.",
            "Le paiement du cas {case} est débloqué, versement avant le {date}.",
            "Contacts {range} mm sur {teeth}, pas de contact sur {tooth} en latéralité.",
            "exocad {version}, export {file}, scan du {date}.",
        ],
    ),
    "es": dict(
        requests=("llámame", "nos ahorramos la comisión"),
        regions=("ES", "MX", "AR", "CO"),
        digits="cero uno dos tres cuatro cinco seis siete ocho nueve".split(),
        at_dot=("arroba", "punto"),
        openers=[
            "Corona en {tooth} lista, margen {mm} mm.",
            "Gracias por el caso {case}.",
            "La oclusión está bien en {teeth}.",
            "Revisión subida, color {shade}.",
            "Escaneos recibidos ({file}).",
            "Entrega el {date}, perfecto.",
        ],
        phone=[
            "Mi número: {x}",
            "llámame al {x}",
            "{x} es mi móvil",
            "aquí va: {x}",
            "me localizas en el {x} si es urgente",
            "cel {x}",
        ],
        email=["mi correo es {x}", "escríbeme a {x}", "{x} para las facturas", "correo: {x}"],
        app=[
            "agrégame en {app}: {handle}",
            "hablamos por {app}, soy {handle}",
            "mi {app} es {handle}",
            "{app} {handle}, es más rápido",
            "búscame en {app} ({handle})",
        ],
        pay=["págame por {method} y nos ahorramos la comisión", "¿puedes pagarme por {method} directamente?"],
        url=["mis trabajos en {x}", "portafolio: {x}"],
        negatives=[
            "Revisa los dientes {teeth}, borde incisal +{mm} mm.",
            "Caso {case}: corona en {tooth}, color {shade}, espacio de cemento {mm} mm.",
            "Lote {lot}, implante {implant}, entregado el {date} a las {time}.",
            "Precio {price} por unidad, {units} unidades, archivo {file}.",
            "Pedido {order}: {units} unidades, para el {date}, grosor {range} mm.",
            "@{name} ¿puedes mirar el {tooth} y el {tooth2} antes de las {time}?",
            "El dentista mandó las fotos por {app}, ya están en el caso.",
            "El pago del caso {case} se liberó, el abono llega el {date}.",
            "Contactos {range} mm en {teeth}, sin contacto en {tooth} en lateralidad.",
            "exocad {version}, exportado {file}, escaneo del {date}.",
        ],
    ),
    "pt": dict(
        requests=("me liga", "evita a taxa"),
        regions=("BR", "PT"),
        digits="zero um dois três quatro cinco seis sete oito nove".split(),
        at_dot=("arroba", "ponto"),
        openers=[
            "Coroa no {tooth} pronta, margem {mm} mm.",
            "Obrigado pelo caso {case}.",
            "A oclusão está boa no {teeth}.",
            "Revisão enviada, cor {shade}.",
            "Escaneamentos recebidos ({file}).",
            "Entrega dia {date}, tudo certo.",
        ],
        phone=[
            "Meu número: {x}",
            "me liga no {x}",
            "{x} é meu celular",
            "segue: {x}",
            "me encontra no {x} se for urgente",
            "cel {x}",
        ],
        email=["meu email é {x}", "escreve para {x}", "{x} para as faturas", "e-mail: {x}"],
        app=[
            "me adiciona no {app}: {handle}",
            "vamos falar no {app}, sou {handle}",
            "meu {app} é {handle}",
            "{app} {handle}, é mais rápido",
            "me procura no {app} ({handle})",
        ],
        pay=["me paga por {method} e a gente evita a taxa", "pode me pagar via {method} direto?"],
        url=["meus trabalhos em {x}", "portfólio: {x}"],
        negatives=[
            "Confere os dentes {teeth}, borda incisal +{mm} mm.",
            "Caso {case}: coroa no {tooth}, cor {shade}, espaço de cimento {mm} mm.",
            "Lote {lot}, implante {implant}, entregue dia {date} às {time}.",
            "Preço {price} por unidade, {units} unidades, arquivo {file}.",
            "Pedido {order}: {units} unidades, para {date}, espessura {range} mm.",
            "@{name} pode olhar o {tooth} e o {tooth2} antes das {time}?",
            "O dentista mandou as fotos pelo {app}, já estão no caso.",
            "O pagamento do caso {case} foi liberado, repasse até {date}.",
            "Contatos {range} mm no {teeth}, sem contato no {tooth} em lateralidade.",
            "exocad {version}, exportado {file}, escaneamento de {date}.",
        ],
    ),
    "it": dict(
        requests=("chiamami", "evitiamo la commissione"),
        regions=("IT", "CH"),
        digits="zero uno due tre quattro cinque sei sette otto nove".split(),
        at_dot=("chiocciola", "punto"),
        openers=[
            "Corona sul {tooth} pronta, margine {mm} mm.",
            "Grazie per il caso {case}.",
            "L'occlusione va bene su {teeth}.",
            "Revisione caricata, colore {shade}.",
            "Scansioni ricevute ({file}).",
            "Consegna il {date}, va bene.",
        ],
        phone=[
            "Il mio numero: {x}",
            "chiamami al {x}",
            "{x} è il mio cellulare",
            "eccolo: {x}",
            "mi trovi al {x} se è urgente",
            "cell {x}",
        ],
        email=["la mia email è {x}", "scrivimi a {x}", "{x} per le fatture", "mail: {x}"],
        app=[
            "aggiungimi su {app}: {handle}",
            "sentiamoci su {app}, sono {handle}",
            "il mio {app} è {handle}",
            "{app} {handle}, è più veloce",
            "cercami su {app} ({handle})",
        ],
        pay=["pagami con {method} così evitiamo la commissione", "puoi pagarmi tramite {method} direttamente?"],
        url=["i miei lavori su {x}", "portfolio: {x}"],
        negatives=[
            "Controlla i denti {teeth}, bordo incisale +{mm} mm.",
            "Caso {case}: corona sul {tooth}, colore {shade}, spazio cemento {mm} mm.",
            "Lotto {lot}, impianto {implant}, consegnato il {date} alle {time}.",
            "Prezzo {price} per elemento, {units} unità, file {file}.",
            "Ordine {order}: {units} unità, per il {date}, spessore {range} mm.",
            "@{name} puoi guardare il {tooth} e il {tooth2} prima delle {time}?",
            "Il dentista ha mandato le foto su {app}, sono già nel caso.",
            "Il pagamento del caso {case} è stato sbloccato, accredito entro il {date}.",
            "Contatti {range} mm su {teeth}, nessun contatto sul {tooth} in lateralità.",
            "exocad {version}, esportato {file}, scansione del {date}.",
        ],
    ),
    "de": dict(
        requests=("ruf mich an", "sparen wir die Gebühr"),
        regions=("DE", "AT", "CH"),
        digits="null eins zwei drei vier fünf sechs sieben acht neun".split(),
        at_dot=("ät", "punkt"),
        openers=[
            "Krone auf {tooth} fertig, Rand {mm} mm.",
            "Danke für Fall {case}.",
            "Der Biss passt auf {teeth}.",
            "Korrektur hochgeladen, Farbe {shade}.",
            "Scans erhalten ({file}).",
            "Lieferung am {date} passt.",
        ],
        phone=[
            "Meine Nummer: {x}",
            "ruf mich an unter {x}",
            "{x} ist mein Handy",
            "hier: {x}",
            "erreichbar unter {x}, falls es eilt",
            "Handy {x}",
        ],
        email=["meine E-Mail ist {x}", "schreib an {x}", "{x} für die Rechnungen", "Mail: {x}"],
        app=[
            "füg mich auf {app} hinzu: {handle}",
            "lass uns auf {app} schreiben, ich bin {handle}",
            "mein {app} ist {handle}",
            "{app} {handle}, geht schneller",
            "such mich auf {app} ({handle})",
        ],
        pay=["zahl mir per {method}, dann sparen wir die Gebühr", "kannst du direkt per {method} zahlen?"],
        url=["meine Arbeiten auf {x}", "Portfolio: {x}"],
        negatives=[
            "Bitte Zähne {teeth} prüfen, Schneidekante +{mm} mm.",
            "Fall {case}: Krone auf {tooth}, Farbe {shade}, Zementspalt {mm} mm.",
            "Charge {lot}, Implantat {implant}, geliefert am {date} um {time}.",
            "Preis {price} pro Einheit, {units} Einheiten, Datei {file}.",
            "Auftrag {order}: {units} Einheiten, bis {date}, Stärke {range} mm.",
            "@{name} kannst du dir {tooth} und {tooth2} vor {time} ansehen?",
            "Der Zahnarzt hat die Fotos per {app} geschickt, sie sind jetzt im Fall.",
            "Die Zahlung für Fall {case} ist freigegeben, Auszahlung bis {date}.",
            "Kontakte {range} mm an {teeth}, kein Kontakt an {tooth} bei Laterotrusion.",
            "exocad {version}, Export {file}, Scan vom {date}.",
        ],
    ),
}

APPS = {
    "messaging_app": ["WhatsApp", "whatsapp", "Telegram", "telegram", "Viber", "WeChat", "Skype", "Discord"],
    "social": ["Instagram", "insta", "Facebook", "LinkedIn", "TikTok", "Twitter"],
}
PAYMENT_METHODS = ["PayPal", "Payoneer", "Revolut", "Western Union", "Skrill"]
FIRST = ["anna", "marc", "lucia", "joao", "giulia", "jonas", "sofia", "pedro", "claire", "max"]
LABS = ["smile", "cadlab", "dentaldesign", "zirco", "protesi", "zahnform", "dentart", "crown"]
DOMAINS = ["gmail.com", "hotmail.com", "yahoo.fr", "outlook.com", "gmx.de", "libero.it", "icloud.com", "uol.com.br"]
TLDS = ["com", "net", "fr", "es", "it", "de", "pt", "com.br", "eu", "dental"]
FDI = [f"{q}{t}" for q in "1234" for t in "12345678"]
SHADES = ["A1", "A2", "A3", "A3.5", "B1", "BL1", "BL2", "2M2", "3M2", "C2"]
FULL_WIDTH = str.maketrans("0123456789+", "０１２３４５６７８９＋")
LOOKALIKE = str.maketrans("01", "Ol")


def main(path: Path = OUT) -> None:
    rng = random.Random(SEED)
    rows = []
    for lang, data in LANGS.items():
        for kind, count in PER_LANGUAGE.items():
            for i in range(count):
                rows.append(MAKERS[kind](rng, lang, data, i))
    with path.open("w", encoding="utf-8") as out:
        for row in rows:
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(rows)} examples written to {path}")


def _row(lang: str, text: str, expect: list[tuple[str, str]], trick: str) -> dict:
    """An example; an off-platform request in the template ("call me") is expected too,
    unless it stands right before the detail it announces ("call me on 06 ..."): then the
    two are one finding, of the detail's kind."""
    announces = [text.index(request) + len(request) for request in LANGS[lang]["requests"] if request in text]
    expect = expect + [
        ("off_platform_payment", request)
        for request, end in zip((r for r in LANGS[lang]["requests"] if r in text), announces)
        if not any(
            text.find(part, end) >= end and _JOINT.fullmatch(text, end, text.find(part, end)) for _, part in expect
        )
    ]
    for _, part in expect:
        assert part in text, (text, part)
    return {"lang": lang, "text": text, "expect": [{"kind": k, "text": t} for k, t in expect], "trick": trick}


def _opener(rng: random.Random, data: dict) -> str:
    return _fill(rng, rng.choice(data["openers"]))


def _fill(rng: random.Random, template: str) -> str:
    """Dental numbers for a template's slots."""
    quadrant = rng.choice("1234")
    teeth = sorted(rng.sample(range(1, 9), rng.randint(3, 6)))
    year = rng.choice([2024, 2025])
    day, month = rng.randint(1, 28), rng.randint(1, 12)
    values = {
        "tooth": rng.choice(FDI),
        "tooth2": rng.choice(FDI),
        "teeth": " ".join(f"{quadrant}{t}" for t in teeth),
        "mm": rng.choice(["0.05", "0,05", "0.5", "1.2", "1,2", "0.8", "0.3"]),
        "range": rng.choice(["0.05-0.1", "0,8 1,0 1,2", "0.3 0.5 0.8 1.0", "1,5-2"]),
        "case": rng.choice([f"{year}-{rng.randint(1, 9999):04d}", f"#{rng.randint(100, 99999)}"]),
        "order": f"LAB-{rng.randint(10000, 99999)}",
        "lot": str(rng.randint(10**9, 10**10 - 1)),
        "implant": rng.choice(["4.1 x 10 mm", "3,5 x 11,5 mm", "BLX 4.5x12", "NP 3.5 x 13 mm"]),
        "date": rng.choice(
            [f"{day:02d}/{month:02d}/{year}", f"{year}-{month:02d}-{day:02d}", f"{day:02d}.{month:02d}.{year}"]
        ),
        "time": f"{rng.randint(8, 19)}:{rng.choice(['00', '15', '30', '45'])}",
        "price": rng.choice([f"${rng.randint(7, 90)}", f"{rng.randint(7, 90)} EUR", f"{rng.randint(7, 90)},50 €"]),
        "units": str(rng.randint(2, 28)),
        "file": rng.choice(
            [
                f"scan_{year}{month:02d}{day:02d}_{rng.randint(100000, 235959)}.stl",
                f"IMG_{rng.randint(1000, 9999)}.jpg",
                "upper_jaw.ply",
                f"case{rng.randint(1000, 9999)}_lower.stl",
            ]
        ),
        "shade": rng.choice(SHADES),
        "name": rng.choice(FIRST) + rng.choice(["", "_lab", ".cad"]),
        "app": rng.choice(["WhatsApp", "Telegram", "e-mail"]),
        "version": rng.choice(["3.2 Elefsina", "3.1 Rijeka", "2.4.1", "DentalCAD 3.2"]),
    }
    return template.format(**values)


def _phone_number(rng: random.Random, region: str) -> phonenumbers.PhoneNumber:
    """A random valid mobile number of the region."""
    example = phonenumbers.example_number_for_type(region, PhoneNumberType.MOBILE)
    national = str(example.national_number)
    while True:
        digits = national[:-5] + "".join(rng.choice("0123456789") for _ in range(5))
        number = phonenumbers.parse(digits, region)
        if phonenumbers.is_valid_number(number):
            return number


def _disguise(rng: random.Random, number, region: str, data: dict, trick: str) -> str:
    national = phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    international = phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    digits = "".join(c for c in national if c.isdigit())
    words = data["digits"]
    if trick == "national":
        return national
    if trick == "international":
        return international
    if trick == "e164":
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if trick == "spaced-digits":
        return " ".join(digits)
    if trick == "dotted-digits":
        return ".".join(digits)
    if trick == "split-lines":
        cut = rng.randint(3, len(digits) - 3)
        return f"{digits[:cut]}\n{digits[cut:]}"
    if trick == "full-width":
        return international.translate(FULL_WIDTH)
    if trick == "keycaps":
        return "".join(f"{d}\ufe0f\u20e3" for d in digits)
    if trick == "letters-for-digits":
        return national.translate(LOOKALIKE)
    if trick == "spelled-digits":
        return " ".join(words[int(d)] for d in digits)
    cut = len(digits) // 2  # mixed-words-digits
    return digits[:cut] + " " + " ".join(words[int(d)] for d in digits[cut:])


PHONE_TRICKS = [
    "national",
    "international",
    "e164",
    "spaced-digits",
    "dotted-digits",
    "split-lines",
    "full-width",
    "keycaps",
    "letters-for-digits",
    "spelled-digits",
    "mixed-words-digits",
]


def _make_phone(rng, lang, data, i):
    region = data["regions"][i % len(data["regions"])]
    trick = PHONE_TRICKS[(i + 3 * list(LANGS).index(lang)) % len(PHONE_TRICKS)]
    phone = _disguise(rng, _phone_number(rng, region), region, data, trick)
    text = f"{_opener(rng, data)} {rng.choice(data['phone']).format(x=phone)}"
    return _row(lang, text, [("phone", phone)], trick)


def _make_email(rng, lang, data, i):
    local = f"{rng.choice(FIRST)}.{rng.choice(LABS)}"
    domain = rng.choice(DOMAINS)
    at, dot = data["at_dot"]
    trick = ["plain-email", "spelled-at-dot", "bracket-at", "spaced-letters"][i % 4]
    if trick == "plain-email":
        email = f"{local}@{domain}"
    elif trick == "spelled-at-dot":
        email = f"{local.replace('.', f' {dot} ')} {at} {domain.replace('.', f' {dot} ')}"
    elif trick == "bracket-at":
        email = f"{local}[at]{domain.replace('.', '[dot]')}"
    else:
        email = " ".join(f"{local}@{domain}")
    text = f"{_opener(rng, data)} {rng.choice(data['email']).format(x=email)}"
    return _row(lang, text, [("email", email)], trick)


def _handle(rng: random.Random) -> str:
    name, lab = rng.choice(FIRST), rng.choice(LABS)
    return rng.choice(
        [f"@{name}.{lab}", f"@{name}_{lab}", f"{name}_{lab}{rng.randint(1, 99)}", f"@{lab}{rng.randint(10, 999)}"]
    )


def _make_app(rng, lang, data, i, kind="messaging_app"):
    app = rng.choice(APPS[kind])
    template = data["app"][i % len(data["app"])]
    text = f"{_opener(rng, data)} {template.format(app=app, handle=_handle(rng))}"
    return _row(lang, text, [(kind, app)], "app-handle" if kind == "messaging_app" else "social")


def _make_social(rng, lang, data, i):
    if i == 2:
        handle = _handle(rng).lstrip("@")
        link = rng.choice(
            [
                f"instagram.com/{handle}",
                f"https://www.tiktok.com/@{handle}",
                f"t.me/{handle}",
                f"https://facebook.com/{handle}",
            ]
        )
        kind = "messaging_app" if link.startswith("t.me") else "social"
        text = f"{_opener(rng, data)} {link}"
        return _row(lang, text, [(kind, link)], "app-link")
    return _make_app(rng, lang, data, i + 1, kind="social")


def _make_url(rng, lang, data, i):
    site = f"{rng.choice(FIRST)}-{rng.choice(LABS)}.{rng.choice(TLDS)}"
    url = [f"https://www.{site}/portfolio", f"www.{site}"][i % 2]
    text = f"{_opener(rng, data)} {rng.choice(data['url']).format(x=url)}"
    return _row(lang, text, [("url", url)], "url")


def _make_payment(rng, lang, data, i):
    method = rng.choice(PAYMENT_METHODS)
    text = f"{_opener(rng, data)} {data['pay'][i % len(data['pay'])].format(method=method)}"
    return _row(lang, text, [("off_platform_payment", method)], "payment")


def _make_negative(rng, lang, data, i):
    template = data["negatives"][i % len(data["negatives"])]
    return _row(lang, _fill(rng, template), [], "dental-talk")


MAKERS = {
    "phone": _make_phone,
    "email": _make_email,
    "app": _make_app,
    "social": _make_social,
    "url": _make_url,
    "payment": _make_payment,
    "negative": _make_negative,
}

if __name__ == "__main__":
    main()
