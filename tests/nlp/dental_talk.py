"""The precision section of issue #17: dental talk that must pass untouched.

`MESSAGES` is about two hundred and fifty real-style messages between labs, dentists and
designers, in six languages: FDI tooth lists (two quadrants in a row, implant positions,
full arches), Universal (1-32) and Palmer notation, tooth ranges, GTIN-14 and GS1 UDI strings
with application identifiers, article, lot and reference numbers, EU VAT numbers, several
case and order ids in one sentence, dates written with spaces, shade and material codes,
talk about the rules ("I can't share my WhatsApp here") and links to the platform's own
pages. Codes carry valid check digits, as real ones do. `main` writes them to
corpus/dental_talk.jsonl, each with no expected finding.

    .venv/bin/python -m tests.nlp.dental_talk
"""

from __future__ import annotations

import json
import random
from pathlib import Path

OUT = Path(__file__).parent / "corpus" / "dental_talk.jsonl"
_SEED = 17


def gtin_check(body: str) -> str:
    """GS1 mod-10 check digit of a GTIN body (weights 3, 1 from the right)."""
    total = sum(int(d) * (3 if i % 2 == 0 else 1) for i, d in enumerate(reversed(body)))
    return str((10 - total % 10) % 10)


def gtin14(rng: random.Random) -> str:
    body = "0" + "".join(rng.choice("0123456789") for _ in range(12))
    return body + gtin_check(body)


def fr_vat(rng: random.Random) -> str:
    siren = rng.randrange(100_000_000, 999_999_999)
    return f"FR{(12 + 3 * (siren % 97)) % 97:02d}{siren}"


def de_vat(rng: random.Random) -> str:
    digits = [rng.randrange(1, 10)] + [rng.randrange(10) for _ in range(7)]
    product = 10
    for d in digits:
        total = (d + product) % 10 or 10
        product = (2 * total) % 11
    check = (11 - product) % 10
    return "DE" + "".join(map(str, digits)) + str(check)


def it_vat(rng: random.Random) -> str:
    digits = [rng.randrange(10) for _ in range(10)]
    total = 0
    for i, d in enumerate(digits):
        total += d if i % 2 == 0 else (d * 2 if d * 2 < 10 else d * 2 - 9)
    return "IT" + "".join(map(str, digits)) + str((10 - total % 10) % 10)


def fdi_run(rng: random.Random) -> str:
    """Two quadrants in a row, a full arch, or implant positions."""
    upper = [f"1{t}" for t in range(8, 0, -1)] + [f"2{t}" for t in range(1, 9)]
    lower = [f"4{t}" for t in range(8, 0, -1)] + [f"3{t}" for t in range(1, 9)]
    arch = rng.choice((upper, lower))
    kind = rng.randrange(4)
    if kind == 0:
        return " ".join(arch)
    if kind == 1:
        return " ".join(arch[1:15])  # fourteen teeth, wisdom teeth left out
    if kind == 2:
        return " ".join(sorted(rng.sample(arch, rng.randrange(4, 8)), key=arch.index))
    return ", ".join(sorted(rng.sample(arch, rng.randrange(5, 9)), key=arch.index))


def case_ids(rng: random.Random) -> tuple[str, str, str]:
    return tuple(str(rng.randrange(1_000_000_000, 9_999_999_999)) for _ in range(3))


def space_date(rng: random.Random) -> str:
    return f"{rng.randrange(1, 29):02d} {rng.randrange(1, 13):02d} {rng.choice((2024, 2025, 2026))}"


TEMPLATES = {
    "en": [
        "Teeth {fdi}, zirconia, shade {shade}",
        "Please design crowns on {fdi}; margins were scanned twice",
        "Implant positions {fdi}, screw-retained, Ti-base {lot}",
        "UDI (01){gtin}(17)2612{dd}(10){lotcode} on the analog box",
        "GTIN {gtin}, REF {ref}, LOT {lot}",
        "Cases {a}, {b} and {c} ship together, order {a}",
        "Delivery {date}, try-in {date2}",
        "VAT {vat} on the invoice, please",
        "Bridge {r1}-{r2}, shade {shade}, material {material}",
        "Universal: crowns on #{u1}, #{u2} and #{u3}; onlay #{u4}",
        "Palmer: UR{p1} and UL{p2} prepared, LR{p3} to follow",
        "Sorry, I can't share my WhatsApp here, let's keep everything in this thread",
        "Email me? No need, just reply here and attach the STL",
        "See {own}/help/disputes before opening a dispute",
        "The rules in {own}/help/contact say no phone numbers, so I'll write here",
        "Article {article}, lot {lot}, expiry {date}",
        "Scan body {article} on {tooth}, torque 35 Ncm",
    ],
    "fr": [
        "Dents {fdi}, zircone, teinte {shade}",
        "Implants en {fdi}, transvissé, Ti-base lot {lot}",
        "UDI (01){gtin}(17)2611{dd}(10){lotcode} sur la boîte",
        "GTIN {gtin}, réf. {ref}, lot {lot}",
        "Dossiers {a} et {b}, commande {c}",
        "Livraison le {date}, essayage le {date2}",
        "Numéro de TVA {vat} sur la facture",
        "Bridge {r1}-{r2}, teinte {shade}, {material}",
        "Désolé, je ne peux pas te donner mon WhatsApp ici, on reste sur la plateforme",
        "M'écrire par mail ? Pas besoin, réponds ici",
        "Voir {own}/help/disputes pour les litiges",
        "Article {article}, lot {lot}, péremption {date}",
    ],
    "es": [
        "Dientes {fdi}, circonio, color {shade}",
        "Implantes en {fdi}, atornillado",
        "UDI (01){gtin}(17)2701{dd}(10){lotcode} en la caja",
        "GTIN {gtin}, ref. {ref}, lote {lot}",
        "Casos {a}, {b} y {c}",
        "Entrega el {date}, prueba el {date2}",
        "Puente {r1}-{r2}, color {shade}",
        "No puedo pasarte mi WhatsApp aquí, seguimos por el chat",
        "Mira {own}/help/disputes antes de abrir una disputa",
        "Artículo {article}, lote {lot}",
    ],
    "de": [
        "Zähne {fdi}, Zirkon, Farbe {shade}",
        "Implantate regio {fdi}, verschraubt",
        "UDI (01){gtin}(17)2609{dd}(10){lotcode} auf der Packung",
        "GTIN {gtin}, REF {ref}, LOT {lot}",
        "Aufträge {a}, {b} und {c}",
        "Lieferung am {date}, Einprobe am {date2}",
        "USt-IdNr. {vat} bitte auf die Rechnung",
        "Brücke {r1}-{r2}, Farbe {shade}",
        "Meine Nummer gebe ich hier nicht raus, wir bleiben im Chat",
        "Siehe {own}/help/disputes",
        "Artikel {article}, Charge {lot}",
    ],
    "pt": [
        "Dentes {fdi}, zircônia, cor {shade}",
        "Implantes em {fdi}",
        "UDI (01){gtin}(17)2705{dd}(10){lotcode} na caixa",
        "Pedidos {a}, {b} e {c}",
        "Entrega {date}",
        "Ponte {r1}-{r2}, cor {shade}",
        "Não posso passar meu zap aqui, seguimos pelo chat",
        "Veja {own}/help/disputes",
    ],
    "it": [
        "Denti {fdi}, zirconia, colore {shade}",
        "Impianti in {fdi}",
        "UDI (01){gtin}(17)2703{dd}(10){lotcode} sulla scatola",
        "Ordini {a}, {b} e {c}",
        "Consegna il {date}",
        "Partita IVA {vat} in fattura",
        "Ponte {r1}-{r2}, colore {shade}",
        "Non posso darti il mio WhatsApp qui, restiamo in chat",
        "Vedi {own}/help/disputes",
    ],
}
_SHADES = ("A1", "A2", "A3", "A3.5", "B1", "BL2", "3M2", "2L1.5", "OM1", "C2")
_MATERIALS = (
    "Katana STML",
    "IPS e.max CAD LT A2",
    "Zirlux 16+",
    "Cercon xt ML",
    "VITA YZ HT",
    "PMMA 98.5 x 20 mm",
    "CoCr Remanium star",
)
_VAT = {"en": fr_vat, "fr": fr_vat, "de": de_vat, "it": it_vat}
PER_TEMPLATE = 4


def messages() -> list[tuple[str, str]]:
    rng = random.Random(_SEED)
    out = []
    for lang, templates in TEMPLATES.items():
        for template in templates:
            for _ in range(PER_TEMPLATE):
                a, b, c = case_ids(rng)
                start = rng.choice((13, 12, 33, 43, 14, 34))
                out.append(
                    (
                        lang,
                        template.format(
                            fdi=fdi_run(rng),
                            shade=rng.choice(_SHADES),
                            material=rng.choice(_MATERIALS),
                            gtin=gtin14(rng),
                            dd=f"{rng.randrange(1, 29):02d}",
                            lotcode=rng.choice(("LOT", "L", "A", "CH")) + str(rng.randrange(1000, 99999)),
                            ref=f"{rng.randrange(100, 999)}.{rng.randrange(1000, 9999)}",
                            lot=str(rng.randrange(10_000, 99_999_999)),
                            a=a,
                            b=b,
                            c=c,
                            date=space_date(rng),
                            date2=space_date(rng),
                            vat=_VAT.get(lang, fr_vat)(rng),
                            r1=start,
                            r2=start + 10 if start % 10 > 2 else start + 20,
                            u1=rng.randrange(1, 33),
                            u2=rng.randrange(1, 33),
                            u3=rng.randrange(1, 33),
                            u4=rng.randrange(1, 33),
                            p1=rng.randrange(1, 9),
                            p2=rng.randrange(1, 9),
                            p3=rng.randrange(1, 9),
                            own=rng.choice(("occlusa.com", "www.occlusa.com")),
                            article=f"{rng.randrange(10, 99)}-{rng.randrange(1000, 9999)}-{rng.randrange(10, 99)}",
                            tooth=rng.choice(("36", "46", "14", "25")),
                        ),
                    )
                )
    return list(dict.fromkeys(out))  # a few draws repeat


def main(path: Path = OUT) -> None:
    rows = [
        json.dumps({"lang": lang, "text": text, "expect": [], "trick": "dental-talk"}, ensure_ascii=False)
        for lang, text in messages()
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
