"""Domain errors: raised by operations, mapped to HTTP answers in one place (app.py).

An error carries what went wrong in words a user can read, and optionally the form field
it belongs to, so a view can put it back on the form. None carries a status code.
"""

from __future__ import annotations


class DomainError(Exception):
    """A rule of the platform refused the action; nothing was changed."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class InvalidTransition(DomainError):
    """The action is not allowed in the object's current state (double click, race, stale page)."""


class PermissionDenied(DomainError):
    """The actor may not do this to this object."""


class NotFound(DomainError):
    """The object does not exist, or the actor may not know that it exists."""


class Busy(Exception):
    """A row the action needs stayed locked by another one past LOCK_TIMEOUT_SECONDS.

    Not a refusal by a rule: nothing was changed and the same action may succeed a moment
    later. Raised by the database layer (extensions.py) instead of waiting without end.
    """
