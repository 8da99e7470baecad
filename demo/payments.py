"""Demo billing details of the clients and designers, and payouts: every demo designer has a
payout account that is ready (offline sandbox)."""

from __future__ import annotations

from demo.accounts import demo_user
from models.payments import BusinessType
from payments import billing, connect

# email, legal name, street, postal code, city, country, VAT number (valid check digits), other tax ID.
# Spread over the VAT rules: a French lab and a French designer (domestic), a Belgian lab buying from
# them (reverse charge), a Spanish designer without a VAT number (not registered).
DEMO_BILLING = [
    (
        "client@demo.occlusa.com",
        "Atelier Dentaire Lumière SARL",
        "4 rue de la République",
        "69002",
        "Lyon",
        "FR",
        "FR19812345676",
        "",
    ),
    (
        "lab@demo.occlusa.com",
        "Northside Dental Lab BV",
        "Kortrijksesteenweg 120",
        "9000",
        "Gent",
        "BE",
        "BE0567812363",
        "",
    ),
    ("designer@demo.occlusa.com", "Elena Marquez", "Calle de Alcalá 48", "28014", "Madrid", "ES", "", "X1234567L"),
    (
        "designer2@demo.occlusa.com",
        "Karim Haddad Design SAS",
        "18 avenue Jean Médecin",
        "06000",
        "Nice",
        "FR",
        "FR31523456788",
        "",
    ),
    ("designer3@demo.occlusa.com", "Sofia Rossi", "Via Roma 10", "20121", "Milano", "IT", "IT04567890019", ""),
]

# email, paid as, account country
DEMO_PAYOUTS = [
    ("designer@demo.occlusa.com", BusinessType.individual, "ES"),
    ("designer2@demo.occlusa.com", BusinessType.company, "FR"),
    ("designer3@demo.occlusa.com", BusinessType.individual, "IT"),
]


def seed_payments() -> list[str]:
    lines = []
    for email, name, street, postal_code, city, country, vat_number, tax_id in DEMO_BILLING:
        user = demo_user(email)
        if billing.billing_details_of(user) is None:
            billing.save_billing_details(
                user,
                actor=user,
                legal_name=name,
                address=street,
                postal_code=postal_code,
                city=city,
                country=country,
                vat_number=vat_number,
                tax_id=tax_id,
            )
            lines.append(f"billing details {email} ({country}{', VAT ' + vat_number if vat_number else ''})")
    if connect.stripe_enabled():
        return [*lines, "payouts: Stripe is configured, so demo designers onboard on Stripe themselves"]
    for email, business_type, country in DEMO_PAYOUTS:
        designer = demo_user(email)
        if connect.account_of(designer) is None:
            connect.start_onboarding(designer, actor=designer, business_type=business_type, country=country)
            lines.append(f"payout account {email} ({country}, ready)")
    return lines
