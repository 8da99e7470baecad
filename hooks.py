"""Extension points: where a lower package calls functions of packages above it, without importing them.

Dependencies run one way (web → domain → models → infrastructure). When a lower package needs
an answer from, or must tell something to, packages above it (the minute sweep runs every
area's deadlines; files asks cases who may read a case file; a designer's approved profile
must refresh the catalogue), it calls the functions registered on one of the hooks below.
Nothing registers itself: `registrations.py` lists every hook's functions, in order, and
create_app() runs it, so a reader finds who answers a hook by opening that one file.

The functions live on the app (app.extensions), so each app built in a process (tests build
many) carries its own lists and nothing accumulates at import time.
"""

from __future__ import annotations

from typing import Any, Callable

from flask import Flask, current_app

_KEY = "occlusa.hooks"


class Hook:
    """One extension point: a name, the signature its functions share, and who calls them."""

    def __init__(self, name: str, signature: str):
        self.name = name
        self.signature = signature

    def register(self, app: Flask, *functions: Callable[..., Any]) -> None:
        app.extensions.setdefault(_KEY, {}).setdefault(self.name, []).extend(functions)

    def functions(self) -> list[Callable[..., Any]]:
        """The registered functions in registration order (the current app's)."""
        return list(current_app.extensions.get(_KEY, {}).get(self.name, ()))

    def __repr__(self) -> str:
        return f"<Hook {self.name}: {self.signature}>"


# Called by jobs.sweep, each in its own unit of work, in this order.
sweeps = Hook("sweeps", "sweep(now) -> int: applies the deadlines that are due, returns how many")
# Called by files.permissions: any one saying yes lets a non-owner read a stored file.
file_read_rules = Hook("file_read_rules", "rule(user, stored_file) -> bool")
# Called by files.permissions: the first reason found holds back receiving patient data.
file_receive_rules = Hook("file_receive_rules", "rule(user, stored_file) -> str | None: why not yet")
# Called by messaging.permissions: any one saying yes lets a non-participant read a conversation.
conversation_read_rules = Hook("conversation_read_rules", "rule(user, conversation) -> bool")
# Called by accounts.operations: every reason given keeps the account open.
closing_checks = Hook("closing_checks", "check(user) -> str | None: why the account cannot close now")
# Called by profiles.operations after a profile's public version changed (approval).
profile_published = Hook("profile_published", "react(designer_user_id) -> None")
# Called by moderation.suspension when an account is suspended or terminated: hands over its open cases.
account_suspended = Hook("account_suspended", "hand_over(user, *, actor) -> dict of counts")
# Called by payments.connect when the payment provider starts or stops paying a designer out.
payouts_readiness_changed = Hook("payouts_readiness_changed", "react(user, ready) -> None")
# Called by backoffice.dashboard: each returns the figures of the queues it owns.
queue_figures = Hook("queue_figures", 'figures() -> list of {"name", "size", "oldest", "url", "roles"}')
# Called by demo.seed, in this order (dependency order), each followed by a commit.
demo_seeders = Hook("demo_seeders", "seed() -> list of lines to print; creates only what is missing")
