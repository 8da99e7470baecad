"""The cells every queue row shows: when the item came, its due badge, who holds it. Built here
rather than by template macros because a page of thirty rows asks for them a hundred times and a
macro call (or Markup.format) costs several times the string it makes; every text is escaped; `_macros.html` and `_workbench.html` call the
same functions, so every page shows them alike."""

from __future__ import annotations

from flask import url_for
from markupsafe import Markup, escape

from extensions import translate as _  # gettext, through the request's catalogue looked up once
from moderation.service_levels import OVERDUE, SOON, Due, duration_words

COLOURS = {OVERDUE: "danger", SOON: "warning"}


def when_cell(moment) -> Markup:
    """A moment as the back office writes it (UTC, to the minute), machine-readable too; "—" if none."""
    if not moment:
        return Markup("—")
    return Markup(f'<time datetime="{escape(moment.isoformat())}">{escape(moment.strftime("%Y-%m-%d %H:%M"))}</time>')


def due_cell(due: Due) -> Markup:
    """The due badge (on time, due soon, overdue) and how long is left or late."""
    status = due.status
    span = duration_words(due.left)
    note = _("%(span)s late", span=span) if status == OVERDUE else _("%(span)s left", span=span)
    colour = COLOURS.get(status, "success")
    return Markup(
        f'<span class="badge badge-{colour} bo-due bo-due-{status}">{escape(due.words)}</span>\n'
        f'  <small class="text-nowrap">{escape(note)}</small>'
    )


def claim_cell(claim, reader_id: int) -> Markup:
    """Who holds the item: the reader, someone else by name, or nothing."""
    if claim is None:
        return Markup("")
    if claim.moderator_id == reader_id:
        return Markup(f'<span class="badge badge-info">{escape(_("claimed by you"))}</span>')
    name = claim.moderator.display_name
    return Markup(f'<span class="badge badge-warning">{escape(_("claimed by %(name)s", name=name))}</span>')


def item_links(endpoint: str, arg: str, items) -> dict[int, str]:
    """url_for(endpoint, **{arg: item.id}) of each item, the URL built once: a page's rows differ
    by their id alone, and url_for costs far more than the string."""
    marker = "2147483647"  # an id no row of a page has: it only marks where the id goes
    head, tail = url_for(endpoint, **{arg: int(marker)}).split(marker)
    return {item.id: f"{head}{item.id}{tail}" for item in items}
