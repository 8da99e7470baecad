"""The Flask extensions, created unbound here and bound to the app in create_app().

Also the unit of work: operations only flush; `commit()` ends the request's or job's
transaction and then runs what was registered with `after_commit()` (mails, pushes,
enqueued jobs), so nothing leaves the process for a row that was rolled back.
"""

from __future__ import annotations

import logging
from collections import ChainMap
from contextlib import contextmanager
from typing import Any, Callable, Iterator
from weakref import WeakKeyDictionary

from flask import g
from flask_babel import Babel, get_translations
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect
from jinja2 import Template, pass_context
from markupsafe import Markup, escape
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine, ExceptionContext
from sqlalchemy.orm import DeclarativeBase, Session

from errors import Busy

log = logging.getLogger(__name__)

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


db = SQLAlchemy(model_class=Base)
migrate = Migrate()
login_manager = LoginManager()
csrf = CSRFProtect()
babel = Babel()
limiter = Limiter(get_remote_address)

_PENDING = "after_commit"


def after_commit(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> None:
    """Run fn(*args, **kwargs) once the current transaction has been committed."""
    # Make sure a transaction is open, so that a rollback (which fires the event below only
    # when one is) forgets this side effect too.
    db.session.connection()
    db.session.info.setdefault(_PENDING, []).append((fn, args, kwargs))


def after_commit_together(fn: Callable[[list], Any], item: Any) -> None:
    """Add `item` to the list that `fn(items)` receives once after the current transaction is
    committed: one call for every item of the unit of work, where the first was registered."""
    db.session.connection()  # as after_commit: a rollback forgets it
    pending = db.session.info.setdefault(_PENDING, [])
    for registered, args, _kwargs in pending:
        if registered == fn:
            args[0].append(item)
            return
    pending.append((fn, ([item],), {}))


def commit() -> None:
    """Commit the unit of work, then run the side effects registered for it, in order.

    A side effect that fails is logged and does not undo the commit: what was decided
    stays decided, and jobs carry their own retries.
    """
    db.session.commit()
    while db.session.info.get(_PENDING):
        fn, args, kwargs = db.session.info[_PENDING].pop(0)
        try:
            fn(*args, **kwargs)
        except Exception:  # a failed side effect must not break the request
            log.exception("side effect %s failed after commit", getattr(fn, "__name__", fn))


@contextmanager
def independent_session(*, one_statement: bool = False) -> Iterator[Session]:
    """A session whose commit stands whatever the current unit of work does afterwards.

    For what another system did or is about to do (a money movement asked of a gateway, the
    sandbox gateway's own book): on a server database it is a second connection, committed at
    the end of the block. SQLite has one writer at a time, so there it is a savepoint on the
    unit of work's own connection (the embedded default runs in one process).

    `one_statement`: the block runs a single statement, a transaction of its own, so on a server
    database it runs in autocommit (the same atomic write without a BEGIN and a COMMIT, two round
    trips of a money movement's time under the case's lock).
    """
    if db.engine.dialect.name == "sqlite":
        session = Session(
            bind=db.session.connection(), join_transaction_mode="create_savepoint", expire_on_commit=False
        )
    elif one_statement:
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            with Session(bind=connection, expire_on_commit=False) as session:
                yield session
                session.commit()
        return
    else:
        session = Session(bind=db.engine, expire_on_commit=False)
    with session:
        yield session
        session.commit()


def read_rows(statement, params: dict | None = None):
    """The result of a SELECT of columns (no entity to load) on the session's connection, in its
    transaction: session.execute's rows without its ORM execution layer (some ninety Python calls
    a statement, on pages that run several). Flushed first when the session autoflushes, as
    session.execute would."""
    session = db.session()
    if session.autoflush:
        session.flush()
    return session.connection().execute(statement, params or {})


@event.listens_for(Session, "after_soft_rollback")
def _forget_side_effects(session: Session, previous_transaction) -> None:
    # A rolled-back unit of work sends nothing.
    session.info.pop(_PENDING, None)


LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL: lock_timeout passed while waiting for a lock


@event.listens_for(Engine, "handle_error")
def _lock_wait_is_busy(context: ExceptionContext) -> None:
    # A lock wait cut short by the lock timeout (PostgreSQL) or the busy timeout (SQLite) is
    # "busy, try again", the same for every row and every caller, never an unexpected error.
    original = context.original_exception
    if getattr(original, "sqlstate", None) == LOCK_NOT_AVAILABLE or "database is locked" in str(original):
        raise Busy(str(original).strip()) from original


def template_translations():
    """The translations templates use, looked up once per request and locale (flask_babel looks
    the request's domain, locale and catalogue up again for every string of a page). A forced
    or refreshed locale is a new locale object, so it is never served another one's catalogue."""
    # g resolved once (a page asks this for every string it translates; each use of the proxy
    # looks the context up again); outside an app context there is no g and no cached state.
    try:
        state = g._get_current_object().get("_flask_babel")
    except RuntimeError:
        state = None
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()  # outside a request, or the locale's first use in it
    cached = getattr(state, "template_translations", None)
    if cached is None or cached[0] is not locale:
        cached = state.template_translations = (locale, get_translations())
    return cached[1]


def install_template_gettext(app) -> None:
    """The templates' _(), gettext and ngettext through template_translations (after babel.init_app)."""
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: template_translations().ugettext(s),
        ngettext=lambda s, p, n: template_translations().ungettext(s, p, n),
        pgettext=lambda c, s: template_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: template_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    # `_` and gettext straight to the catalogue: jinja2.ext's `_` resolves gettext, which calls the
    # lambda above through the context, two indirections for each of the twenty-odd strings of
    # every page's layout.
    app.jinja_env.globals.update(_=_template_gettext, gettext=_template_gettext)


class _Template(Template):
    """Jinja's template, whose `{% import %}` and `{% from … import %}` look for the importer's new
    globals by a set difference in C: Jinja's own tests each of the importer's globals against
    the imported template's (a ChainMap, two dict lookups through Python per global), some
    seventy globals at each of a page's imports, an eighth of a small page's Python calls.
    Same result: a module with the new globals when there are any, else the cached one."""

    def _get_default_module(self, ctx=None):
        if ctx is not None and not self.environment.is_async:
            known = self.globals.maps if isinstance(self.globals, ChainMap) else (self.globals,)
            if not ctx.globals_keys.difference(*known):
                ctx = None  # no new global: the cached module, as Jinja decides
        return super()._get_default_module(ctx)


def install_template_class(app) -> None:
    """Templates loaded from now on are _Templates (before the first render)."""
    app.jinja_env.template_class = _Template


@pass_context
def _template_gettext(context, string: str, **variables) -> str:
    """jinja2.ext's newstyle gettext, the same result: markup under autoescape, always formatted
    (a text without "%" formats to itself: it skips Markup's formatting, most of a string's cost)."""
    text = template_translations().ugettext(string)
    if context.eval_ctx.autoescape:
        text = Markup(text)
    return text % variables if variables or "%" in text else text


def translate(string: str, **variables) -> str:
    """gettext through template_translations: for strings a page builds by the hundred in Python."""
    text = template_translations().ugettext(string)
    return text % variables if variables else text


def translate_plural(singular: str, plural: str, num: int, **variables) -> str:
    """ngettext through template_translations, formatted with `num` as the templates' ngettext is."""
    return template_translations().ungettext(singular, plural, num) % {"num": num, **variables}


# Tables of labels in one language, kept as long as its catalogue: {catalogue: {(id(table), escaped):
# (table, translated)}}. A catalogue is loaded once per language and process; a new one (another
# language, a forced locale outside a request) starts empty, so a table is never read in another.
_LABELS_BY_CATALOGUE: WeakKeyDictionary = WeakKeyDictionary()


def _labels_in_catalogue(labels: dict, escaped: bool) -> dict:
    catalogue = template_translations()
    tables = _LABELS_BY_CATALOGUE.get(catalogue)
    if tables is None:
        tables = _LABELS_BY_CATALOGUE[catalogue] = {}
    kept = tables.get((id(labels), escaped))
    if kept is None or kept[0] is not labels:
        shown = escape if escaped else str
        kept = tables[id(labels), escaped] = (labels, {key: shown(label) for key, label in labels.items()})
    return kept[1]


def translated_labels(labels: dict) -> dict:
    """A table of labels (lazy strings) in the reader's language, each escaped as the template
    would show it (a lazy string is markup to Jinja: shown as it reads): a page of rows looks a
    label up for every row, and each lazy string asks flask_babel for the request's catalogue
    again (some sixty calls). Translated once per language and process: `labels` is a fixed
    table (a module's constant), never changed."""
    return _labels_in_catalogue(labels, escaped=True)


def labels_in_language(labels: dict) -> dict:
    """translated_labels as plain text (str(label)), for helpers that return a label's text: JSON,
    and templates, which escape it as any text."""
    return _labels_in_catalogue(labels, escaped=False)
