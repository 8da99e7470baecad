"""Where designers can be paid: Stripe Connect's countries, and the euro-IBAN route for the rest.

A designer living elsewhere opens a Wise or Payoneer euro account; its IBAN belongs to a
supported country (its first two letters), and the payout account is registered there.
Country names come from Babel's CLDR data, in the reader's language.
"""

from __future__ import annotations

import re

from flask_babel import get_locale

# PRODUCT.md §8: the 36 countries where designers set up Stripe Connect payouts.
SUPPORTED_COUNTRIES: tuple[str, ...] = (
    "AU",
    "AT",
    "BE",
    "BG",
    "CA",
    "CY",
    "CZ",
    "DK",
    "EE",
    "FI",
    "FR",
    "DE",
    "GR",
    "HK",
    "IE",
    "IT",
    "JP",
    "LV",
    "LT",
    "LU",
    "MT",
    "MX",
    "NL",
    "NZ",
    "NO",
    "PL",
    "PT",
    "RO",
    "SG",
    "SK",
    "SI",
    "ES",
    "SE",
    "CH",
    "GB",
    "US",
)

_IBAN_SHAPE = re.compile(r"^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$")


def country_name(code: str) -> str:
    territories = (get_locale() or _english()).territories
    return territories.get(code.upper(), code.upper())


def _english():
    from babel import Locale

    return Locale("en")


def supported_country_choices() -> list[tuple[str, str]]:
    """(code, name) of the supported countries, sorted by name in the reader's language."""
    return sorted(((c, country_name(c)) for c in SUPPORTED_COUNTRIES), key=lambda pair: pair[1])


def all_country_choices() -> list[tuple[str, str]]:
    """(code, name) of every country (two-letter codes only), sorted by name."""
    territories = (get_locale() or _english()).territories
    return sorted(
        (
            (code, name)
            for code, name in territories.items()
            if len(code) == 2 and code.isalpha() and code not in {"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"}
        ),
        key=lambda pair: pair[1],
    )


def is_supported(code: str) -> bool:
    return code.upper() in SUPPORTED_COUNTRIES


def normalise_iban(raw: str) -> str:
    return re.sub(r"[\s-]", "", raw or "").upper()


def iban_is_valid(iban: str) -> bool:
    """The ISO 13616 check: shape, then the remainder of the rearranged number modulo 97 is 1."""
    if not _IBAN_SHAPE.match(iban):
        return False
    rearranged = iban[4:] + iban[:4]
    digits = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(digits) % 97 == 1


def iban_country(iban: str) -> str:
    """The country an IBAN is registered in: its first two letters."""
    return iban[:2].upper()
