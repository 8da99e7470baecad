"""One shape for every process that changes an object's state, after the case table.

A process is a table `(state, action) → Step(next state, who may, effect)` written at the top
of its module, and one `Process.apply` that every verb of that process calls:

    lock the row → check the actor's role and the state against the table → the action's
    fields (input checks and the columns it writes; may refuse) → move the state → flush →
    the step's effect → the event (audit row, mail) → a log line.

A refused action changes nothing: the fields run before the state moves, so a DomainError
leaves the object as it was. An action the table has nowhere for this role is
PermissionDenied; an action the role may take elsewhere but not in this state is
InvalidTransition (a double click, a race, a stale page), with the process's own words.
This module knows no domain: it sits on the bottom floor beside errors.py.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from enum import Enum
from typing import Any, Callable

from errors import InvalidTransition, PermissionDenied
from extensions import db

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Step:
    to: Enum | None  # None: the process computes the next state (Process.next_state)
    by: frozenset[str]  # the roles that may take the action from this state
    effect: str | None = None  # the name of the process's effect run after the move, if any
    notice: str | None = None  # the notification event for the other side, where a process has them


def step(to: Enum | None, by: str, effect: str | None = None, notice: str | None = None) -> Step:
    """A row's right-hand side: `by` is the roles separated by spaces ("client platform")."""
    return Step(to, frozenset(by.split()), effect, notice)


class Table(dict):
    """(state, action) → Step, and the questions pages and `Process.apply` ask of it."""

    @property
    def actions(self) -> list[str]:
        return sorted({action for _state, action in self})

    def roles_for(self, action: str) -> frozenset[str]:
        """Every role that may take `action` from some state."""
        return frozenset().union(*(s.by for (_state, a), s in self.items() if a == action))

    def allowed(self, state: Enum | None, role: str | None) -> list[str]:
        """The actions `role` may take from `state`, in table order."""
        return [a for (s, a), row in self.items() if s == state and role in row.by]

    def check(self, state: Enum | None, action: str, role: str | None, *, denied, refused: Callable[[], str]) -> Step:
        """The row for (state, action) if `role` may take it; raises PermissionDenied (`denied`)
        when the role may never take the action, InvalidTransition (`refused()`) when not now."""
        row = self.get((state, action))
        if row is None:
            if role not in self.roles_for(action):
                raise PermissionDenied(denied)
            raise InvalidTransition(refused())
        if role not in row.by:
            raise PermissionDenied(denied)
        return row


@dataclass
class Move:
    """What `Process.apply` did, handed to the effect and the event writer."""

    obj: Any
    action: str
    before: Enum | None
    after: Enum
    role: str
    actor: Any  # the User who acted, None for the platform
    step: Step
    detail: dict = field(default_factory=dict)  # what the action's fields returned
    params: dict = field(default_factory=dict)


@dataclass
class Process:
    """A table and the few functions that make `apply` this process's one write path."""

    name: str  # for log lines
    table: Table
    lock: Callable[[Any], Any]  # reload the object's row under FOR UPDATE
    event: Callable[[Move], None]  # write the audit row / event, mail, whatever the move announces
    refused: Callable[[Any, str], str]  # (locked object, action) → why this action is not possible now
    denied: Any  # the PermissionDenied message
    # action → fields(obj, *, actor, **params), before the move: input checks, columns; may refuse
    fields: dict[str, Callable[..., dict | None]] = field(default_factory=dict)
    effects: dict[str, Callable[[Move], None]] = field(default_factory=dict)  # Step.effect → after the move
    next_state: Callable[[Any, str], Enum] | None = None  # for steps whose `to` is None
    attribute: str = "state"

    def __post_init__(self):
        named = {row.effect for row in self.table.values() if row.effect}
        assert named <= set(self.effects), f"{self.name}: effects without a function: {named - set(self.effects)}"
        assert set(self.fields) <= set(self.table.actions), f"{self.name}: fields for unknown actions"

    def allowed(self, obj, role: str | None) -> list[str]:
        return self.table.allowed(getattr(obj, self.attribute), role)

    def apply(self, obj, action: str, *, role: str | None, actor=None, locked: bool = False, **params) -> Move:
        """Move `obj` by `action` taken by `role` (the caller decided the role from its access
        rules; `locked`: the caller holds the row lock already). Raises PermissionDenied,
        InvalidTransition, or what the action's fields raise."""
        if not locked:
            obj = self.lock(obj)
        before = getattr(obj, self.attribute)
        row = self.table.check(before, action, role, denied=self.denied, refused=lambda: self.refused(obj, action))
        fields = self.fields.get(action)
        detail = (fields(obj, actor=actor, **params) if fields else None) or {}
        after = row.to if row.to is not None else self.next_state(obj, action)
        setattr(obj, self.attribute, after)
        db.session.flush()
        move = Move(obj, action, before, after, role, actor, row, detail, params)
        if row.effect:
            self.effects[row.effect](move)
        self.event(move)
        log.info(
            "%s %s: %s by %s (%s → %s)",
            self.name,
            getattr(obj, "id", None),
            action,
            role,
            getattr(before, "value", before),
            after.value,
        )
        return move
