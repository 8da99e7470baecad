"""What a designer profile must hold before review, and why a moderator may refuse it (PRODUCT.md §1)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

PROFILE_REJECTION_REASONS = {
    "incomplete": _l("Incomplete information (real name, tax ID, country, or a photo that is not of you)"),
    "misleading": _l("Inaccurate or misleading information, or a company or brand not proven to be yours"),
    "contact_details": _l("Contact details in the profile (phone, e-mail, social links, usernames, QR codes)"),
    "promotion": _l("Promotes other products or services"),
    "images": _l("Low-quality, inappropriate or not-owned images"),
}

MAX_PORTFOLIO_IMAGES = 12
MAX_SKILLS = 20


def missing_for_review(profile, images) -> list[str]:
    """Labels of what the profile still lacks before it can be sent for review."""
    missing = []
    if not profile.real_name.strip():
        missing.append(_l("your real name"))
    if not profile.country:
        missing.append(_l("your country"))
    if not profile.tax_id.strip():
        missing.append(_l("your tax ID"))
    if not profile.bio.strip():
        missing.append(_l("a short bio"))
    if not profile.software:
        missing.append(_l("the CAD software you use"))
    if not any(i.purpose.value == "photo" for i in images):
        missing.append(_l("a professional photo"))
    return [str(m) for m in missing]


# Languages a designer may say they speak (ISO 639-1): shown by their name in the reader's
# language. Picked from this list, never typed, so they carry no contact details and need no review.
LANGUAGES = (
    "en",
    "fr",
    "es",
    "de",
    "it",
    "pt",
    "nl",
    "pl",
    "ro",
    "ru",
    "uk",
    "tr",
    "ar",
    "he",
    "hi",
    "zh",
    "ja",
    "ko",
    "vi",
    "th",
)
