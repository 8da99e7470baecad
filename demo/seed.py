"""`flask seed-demo`: each area seeds its part, in dependency order, idempotently."""

from __future__ import annotations

import hooks
from extensions import commit

DEMO_PASSWORD = "occlusa-demo-2026"


def seed_all() -> list[str]:
    lines: list[str] = []
    for seed in hooks.demo_seeders.functions():  # registered in registrations.py, in dependency order
        lines.extend(seed())
        commit()
    return lines
