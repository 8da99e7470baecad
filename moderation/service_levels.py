"""Due times of back-office queue items: each queue has a service level in config.

QUEUE_SERVICE_HOURS gives the hours from submission to decision per queue ("profile",
"listing", "verification", "violation"); disputes keep their own answer and ruling deadlines
(disputes/ruling_due.py) and are given here only as a moment. Since the service level is one
length per queue, ordering a queue by submission time is ordering it by due time.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from datetime import datetime, timedelta

from flask import current_app

from extensions import translate as _  # gettext, through the request's catalogue looked up once

OK, SOON, OVERDUE = "ok", "soon", "overdue"


def service_hours(kind: str) -> int:
    return int(current_app.config["QUEUE_SERVICE_HOURS"][kind])


class _ServiceLevelHours(Mapping):
    """queue → hours, read from the app's config at each look-up (the figures page lists them)."""

    def __getitem__(self, kind: str) -> int:
        return service_hours(kind)

    def __iter__(self):
        return iter(current_app.config["QUEUE_SERVICE_HOURS"])

    def __len__(self) -> int:
        return len(current_app.config["QUEUE_SERVICE_HOURS"])


SERVICE_LEVEL_HOURS: Mapping[str, int] = _ServiceLevelHours()


def due_at(kind: str, since: datetime) -> datetime:
    """When the decision on an item that entered queue `kind` at `since` is due."""
    return since + timedelta(hours=service_hours(kind))


@dataclass(frozen=True)
class Due:
    since: datetime  # when the item entered the queue
    at: datetime  # when its decision is due
    now: datetime

    @property
    def age(self) -> timedelta:
        return self.now - self.since

    @property
    def left(self) -> timedelta:
        return self.at - self.now

    @cached_property  # a queue row reads it for its badge, its words and its colour
    def status(self) -> str:
        if self.left <= timedelta(0):
            return OVERDUE
        share = int(current_app.config.get("QUEUE_DUE_SOON_PERCENT", 25)) / 100
        return SOON if self.left <= (self.at - self.since) * share else OK

    @property
    def words(self) -> str:
        status = self.status
        return _("overdue") if status == OVERDUE else _("due soon") if status == SOON else _("on time")


def due_of(kind: str, since: datetime, now: datetime) -> Due:
    """The due time of an item of queue `kind` that entered it at `since`."""
    return Due(since=since, at=due_at(kind, since), now=now)


def due_by_deadline(since: datetime, at: datetime, now: datetime) -> Due:
    """An item whose deadline is set elsewhere (a dispute's answer or ruling date)."""
    return Due(since=since, at=at, now=now)


def duration_words(span: timedelta) -> str:
    """A short, language-neutral length: "3 d 4 h", "5 h 20 min", "12 min"."""
    minutes = int(abs(span).total_seconds() // 60)
    days, hours, mins = minutes // 1440, minutes % 1440 // 60, minutes % 60
    if days:
        return _("%(d)d d %(h)d h", d=days, h=hours)
    if hours:
        return _("%(h)d h %(m)d min", h=hours, m=mins)
    return _("%(m)d min", m=mins)
