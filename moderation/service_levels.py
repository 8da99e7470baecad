"""How long each review queue has to decide an item: one service level per queue, in config.

SERVICE_LEVEL_HOURS reads the hours from the config keys below when asked (inside the app),
so a test or a deployment changes them in config only. Disputes are not here: their ruling is
due on the date disputes/ruling_due.py gives.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from flask import current_app

CONFIG_KEYS = {
    "profile": "SLA_PROFILE_REVIEW_HOURS",
    "listing": "SLA_LISTING_REVIEW_HOURS",
    "verification": "SLA_VERIFICATION_HOURS",
    "violation": "SLA_VIOLATION_HOURS",
}
DEFAULT_HOURS = {"profile": 24, "listing": 24, "verification": 48, "violation": 12}


class _ServiceLevelHours(Mapping):
    """queue → hours, read from the app's config at each look-up."""

    def __getitem__(self, queue: str) -> int:
        return int(current_app.config.get(CONFIG_KEYS[queue], DEFAULT_HOURS[queue]))

    def __iter__(self):
        return iter(CONFIG_KEYS)

    def __len__(self) -> int:
        return len(CONFIG_KEYS)


SERVICE_LEVEL_HOURS: Mapping[str, int] = _ServiceLevelHours()


def due_at(queue: str, submitted_at: datetime) -> datetime:
    """When the decision on an item that entered `queue` at `submitted_at` is due."""
    return submitted_at + timedelta(hours=SERVICE_LEVEL_HOURS[queue])
