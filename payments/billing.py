"""Billing details: who a client or designer is on an invoice, and whether they are VAT-registered.

Asked before a user's first order or payout set-up (storefront/billing_gate.py) and editable in
Settings > Billing. A VAT number is checked against its country's format and check digits
(python-stdnum): an EU number must belong to the billing country (Greece's start with EL); other
countries' VAT numbers are checked where stdnum knows them, by shape otherwise. The other tax
identifier (PAN, SIRET, national ID …) is printed as given, checked for shape only.
"""

from __future__ import annotations

import logging
import re

import sqlalchemy as sa
from babel import Locale
from flask_babel import lazy_gettext as _l
from stdnum import util as stdnum_util
from stdnum.eu import vat as eu_vat
from stdnum.exceptions import InvalidChecksum, ValidationError

from errors import DomainError, PermissionDenied
from extensions import db
from models.accounts import User
from models.payments import BillingDetails
from models.profiles import DesignerProfile
from payments.vat import EU_COUNTRIES

log = logging.getLogger(__name__)

_SHAPE = re.compile(r"^[A-Z0-9]{4,20}$")
_TAX_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ./-]{2,39}$")
_VAT_PREFIX = {"GR": "EL"}  # the one EU country whose VAT prefix is not its ISO code


def billing_details_of(user: User) -> BillingDetails | None:
    return db.session.scalar(sa.select(BillingDetails).where(BillingDetails.user_id == user.id))


def save_billing_details(
    user: User,
    *,
    actor: User,
    legal_name: str,
    address: str,
    postal_code: str,
    city: str,
    country: str,
    vat_number: str | None = None,
    tax_id: str | None = None,
) -> BillingDetails:
    """Create or replace the user's billing details. Issued invoices keep the details they printed.

    Raises PermissionDenied when the actor is someone else, DomainError (naming the field) on a
    missing value, an unknown country, a VAT number that fails its country's check, or a tax ID
    of an impossible shape.
    """
    if actor.id != user.id:
        raise PermissionDenied(_l("Only you can change your billing details."))
    country = (country or "").strip().upper()
    if country not in Locale("en").territories or len(country) != 2:
        raise DomainError(_l("Choose the country of your billing address."), field="country")
    values = {
        "legal_name": (legal_name or "").strip(),
        "address": _clean_lines(address),
        "postal_code": (postal_code or "").strip(),
        "city": (city or "").strip(),
    }
    for name, message in (
        ("legal_name", _l("Enter the name to print on invoices.")),
        ("address", _l("Enter the street address.")),
        ("city", _l("Enter the city.")),
    ):
        if not values[name]:
            raise DomainError(message, field=name)
    tax_id = (tax_id or "").strip() or None
    if tax_id and not _TAX_ID.match(tax_id):
        raise DomainError(_l("A tax ID has 3 to 40 letters, digits, spaces, dots, slashes or dashes."), field="tax_id")
    details = billing_details_of(user)
    if details is None:
        details = BillingDetails(user_id=user.id)
        db.session.add(details)
    for name, value in values.items():
        setattr(details, name, value)
    details.country, details.vat_number, details.tax_id = country, normalise_vat_number(country, vat_number), tax_id
    db.session.flush()
    log.info(
        "billing details of user %s saved (country %s, VAT %s)", user.id, country, "yes" if details.vat_number else "no"
    )
    return details


def normalise_vat_number(country: str, raw: str | None) -> str | None:
    """The VAT number in its compact form with its country prefix, or None when none was given.
    Raises DomainError(field="vat_number") when it fails the country's format or check digits."""
    compact = re.sub(r"[\s.\-/]", "", raw or "").upper()
    if not compact:
        return None
    prefix = _VAT_PREFIX.get(country, country)
    if country in EU_COUNTRIES:
        if compact[:2].isalpha() and compact[:2] != prefix:
            raise DomainError(
                _l("This VAT number belongs to another country than your billing address."), field="vat_number"
            )
        number = compact if compact.startswith(prefix) else prefix + compact
        _check(eu_vat, number)
        return number
    module = _vat_module(country)
    number = compact[2:] if compact.startswith(country) and module is not None else compact
    if module is not None:
        _check(module, number)
        return f"{country}{module.compact(number)}"[:20]
    if not _SHAPE.match(compact):
        raise DomainError(_l("A VAT number has 4 to 20 letters and digits."), field="vat_number")
    return compact


def _vat_module(country: str):
    try:
        return stdnum_util.get_cc_module(country.lower(), "vat")
    except (ImportError, AttributeError):
        return None


def _check(module, number: str) -> None:
    try:
        module.validate(number)
    except InvalidChecksum as exc:
        raise DomainError(
            _l("This VAT number's check digits do not match: a character is probably mistyped."), field="vat_number"
        ) from exc
    except ValidationError as exc:
        raise DomainError(
            _l("This is not the format of a VAT number of your billing country."), field="vat_number"
        ) from exc


def _clean_lines(text: str | None) -> str:
    return "\n".join(line.strip() for line in (text or "").splitlines() if line.strip())


def party_of(user: User) -> dict:
    """What an invoice prints about a user, frozen at issue: billing details when given; for a
    designer without them, the profile's real name, country and tax ID; else the display name."""
    details = billing_details_of(user)
    if details is not None:
        return {
            "name": details.legal_name,
            "address": details.address.splitlines(),
            "postal_code": details.postal_code,
            "city": details.city,
            "country": details.country,
            "vat_number": details.vat_number or "",
            "tax_id": details.tax_id or "",
            "email": user.email,
        }
    profile = db.session.scalar(sa.select(DesignerProfile).where(DesignerProfile.user_id == user.id))
    if profile is not None and profile.real_name:
        return {
            "name": profile.real_name,
            "address": [],
            "country": profile.country or "",
            "vat_number": "",
            "tax_id": profile.tax_id or "",
            "email": user.email,
        }
    return {
        "name": user.display_name,
        "address": [],
        "country": "",
        "vat_number": "",
        "tax_id": "",
        "email": user.email,
    }


def platform_party(config) -> dict:
    """The platform as invoice party, from its legal details in config."""
    return {
        "name": config["PLATFORM_LEGAL_NAME"],
        "address": [line.strip() for line in config["PLATFORM_ADDRESS"].split(";") if line.strip()],
        "country": config["PLATFORM_COUNTRY"],
        "vat_number": config["PLATFORM_VAT_NUMBER"],
        "tax_id": "",
        "registration": config["PLATFORM_REGISTRATION"],
        "email": config["PLATFORM_BILLING_EMAIL"],
    }
