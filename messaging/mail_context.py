"""What a queued mail remembers of its template's context: references, never rendered text.

A mail is rendered by its job, in the recipient's language, from rows as they are then. So
the context is stored as JSON of plain values, rows (`{"$row": "User", "id": 7}`), dates and
translatable strings (`{"$text": msgid}`), and turned back into objects when the job runs.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask_babel import LazyString, gettext
from werkzeug.local import LocalProxy

from extensions import db


def freeze(value: Any) -> Any:
    """Turn a template context value into JSON; raises TypeError for anything else."""
    if isinstance(value, LocalProxy):  # current_user: the account behind it
        value = value._get_current_object()
    if value is None or isinstance(value, (bool, int, float, str)) and not isinstance(value, LazyString):
        return value
    if isinstance(value, LazyString):
        if value._func is not gettext or len(value._args) != 1:
            raise TypeError("only lazy_gettext strings can wait in a mail")
        return {"$text": value._args[0], "vars": {k: freeze(v) for k, v in value._kwargs.items()}}
    if isinstance(value, datetime):
        return {"$datetime": value.isoformat()}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [freeze(item) for item in value]
    if isinstance(value, dict):
        return {"$dict": {str(k): freeze(v) for k, v in value.items()}}
    if isinstance(value, db.Model):
        identity = db.inspect(value).identity
        if identity is None or len(identity) != 1:
            raise TypeError(f"a {type(value).__name__} must be flushed before it is mailed")
        return {"$row": type(value).__name__, "id": identity[0]}
    raise TypeError(f"a mail context cannot hold {type(value).__name__}")


def thaw(value: Any) -> Any:
    """The inverse of freeze, inside an app context (rows are loaded; texts translated now)."""
    if isinstance(value, list):
        return [thaw(item) for item in value]
    if not isinstance(value, dict):
        return value
    if "$row" in value:
        return db.session.get(_model(value["$row"]), value["id"])
    if "$text" in value:
        return gettext(value["$text"], **{k: thaw(v) for k, v in value["vars"].items()})
    if "$datetime" in value:
        return datetime.fromisoformat(value["$datetime"])
    if "$date" in value:
        return date.fromisoformat(value["$date"])
    return {k: thaw(v) for k, v in value["$dict"].items()}


def _model(name: str) -> type:
    for mapper in db.Model.registry.mappers:
        if mapper.class_.__name__ == name:
            return mapper.class_
    raise LookupError(f"no model named {name}")
