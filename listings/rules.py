"""What a listing must hold before review, and why a moderator may refuse it (PRODUCT.md §2)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

LISTING_REJECTION_REASONS = {
    "missing_description": _l("Missing or insufficient description"),
    "missing_software": _l("Software used not given"),
    "missing_revisions": _l("Number of revisions included not given"),
    "missing_prices": _l("Prices missing or not credible"),
    "missing_images": _l("Missing images, or images that are not CAD design images"),
    "promotion": _l("Promotes other products or services"),
    "contact_details": _l("Contact details in the listing"),
    "misleading": _l("Inaccurate or misleading information"),
}

MAX_LISTING_IMAGES = 8
MAX_TIERS = 4
MIN_DESCRIPTION_CHARS = 80


def missing_for_review(listing, images) -> list[str]:
    """Labels of what the listing still lacks before it can be sent for review."""
    missing = []
    if len(listing.description.strip()) < MIN_DESCRIPTION_CHARS:
        missing.append(_l("a description of at least %(n)d characters", n=MIN_DESCRIPTION_CHARS))
    if not listing.software:
        missing.append(_l("the software used"))
    if not listing.tiers:
        missing.append(_l("prices"))
    if not images:
        missing.append(_l("at least one CAD design image"))
    return [str(m) for m in missing]
