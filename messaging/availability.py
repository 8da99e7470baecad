"""Whether a designer takes work now: the one place messaging asks profiles about it."""
from __future__ import annotations


def designer_is_available(user_id: int) -> bool:
    """False when the designer switched "Unavailable for work" on (profiles.is_available).

    Until the profiles package provides it, everyone is available.
    """
    try:
        from profiles import is_available
    except ImportError:
        return True
    return bool(is_available(user_id))
