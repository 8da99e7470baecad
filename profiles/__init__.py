"""Designer profiles: what a designer tells clients, its review, badges and availability.

The small read functions other areas call live here; state changes are in operations.py.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from extensions import db
from models.profiles import DesignerProfile


def reputation(user_id: int) -> tuple[float | None, int]:
    """(average stars rounded to 2 decimals or None, number of reviews) of a designer."""
    row = db.session.execute(
        sa.select(DesignerProfile.stars_total, DesignerProfile.review_count).where(DesignerProfile.user_id == user_id)
    ).first()
    if row is None or not row.review_count:
        return None, 0
    return round(row.stars_total / row.review_count, 2), row.review_count


def pro_min_reviews() -> int:
    return int(current_app.config.get("PRO_MIN_REVIEWS", 3))


def is_pro(profile: DesignerProfile | None) -> bool:
    """Pro: a perfect 5.0 average over at least PRO_MIN_REVIEWS completed-case reviews."""
    return (
        profile is not None
        and profile.review_count >= pro_min_reviews()
        and profile.stars_total == 5 * profile.review_count
    )


def pro_condition(review_count=DesignerProfile.review_count, stars_total=DesignerProfile.stars_total):
    """The Pro rule as a SQL expression over designer_profiles, or over the copy of these two
    columns a catalogue row carries (search ranks Pro first)."""
    return sa.and_(review_count >= pro_min_reviews(), stars_total == 5 * review_count)


def is_available(designer_user_id: int) -> bool:
    """False when the designer switched on "Unavailable for work" (the order page asks to confirm)."""
    unavailable = db.session.scalar(
        sa.select(DesignerProfile.unavailable).where(DesignerProfile.user_id == designer_user_id)
    )
    return not unavailable
