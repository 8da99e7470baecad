"""Whether a designer takes work now: the one place messaging asks profiles about it."""

from __future__ import annotations

from datetime import datetime

import profiles


def designer_unavailable_since(user_id: int) -> datetime | None:
    """When the designer switched "Unavailable for work" on; None while they take work."""
    return profiles.unavailable_since(user_id)
