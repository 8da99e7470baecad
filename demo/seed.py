"""`flask seed-demo`: each area seeds its part, in dependency order, idempotently."""

from __future__ import annotations

import importlib

from extensions import commit

DEMO_PASSWORD = "occlusa-demo-2026"

# "module:function" — each returns lines to print and only creates what is missing.
SEEDERS: list[str] = [
    "demo.accounts:seed_accounts",
    "demo.catalogue:seed_catalogue",
    "demo.payments:seed_payments",
    "demo.messaging:seed_messaging",
    "demo.moderation:seed_moderation",
    "demo.cases:seed_cases",
    "demo.disputes:seed_disputes",
    "demo.community:seed_community",
    "demo.contracts:seed_contracts",
]


def seed_all() -> list[str]:
    lines: list[str] = []
    for target in SEEDERS:
        module_name, _, func_name = target.partition(":")
        lines.extend(getattr(importlib.import_module(module_name), func_name)())
        commit()
    return lines
