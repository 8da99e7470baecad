"""Whether a designer takes work now, read from their profile row (messaging sits below profiles)."""

from __future__ import annotations

from datetime import datetime, timezone

import sqlalchemy as sa

from extensions import db
from models.profiles import DesignerProfile


def designer_unavailable_since(user_id: int) -> datetime | None:
    """When the designer switched "Unavailable for work" on; None while they take work.

    A designer marked unavailable before the moment was recorded counts from the beginning.
    """
    row = db.session.execute(
        sa.select(DesignerProfile.unavailable, DesignerProfile.unavailable_since).where(
            DesignerProfile.user_id == user_id
        )
    ).first()
    if row is None or not row.unavailable:
        return None
    return row.unavailable_since or datetime.min.replace(tzinfo=timezone.utc)
