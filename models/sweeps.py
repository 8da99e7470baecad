"""The minute sweep's heartbeat: when the sweep last started and last finished.

/healthz reads it, so a deployment whose sweeps stopped (lost Redis, a killed worker) says
so instead of silently no longer expiring requests and completing cases.
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from extensions import db
from models.types import UTCDateTime


class SweepHeartbeat(db.Model):
    __tablename__ = "sweep_heartbeats"

    # One row per sweep loop ("deadlines"); a name so other periodic loops can beat too.
    name: Mapped[str] = mapped_column(sa.String(40), primary_key=True)
    last_started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # Sweeps (of the eleven) that failed in the last run, comma separated; empty when all ran.
    last_failures: Mapped[str] = mapped_column(sa.Text, default="")
