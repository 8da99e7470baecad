"""The cells every queue row shows: when the item came, its due badge, who holds it. Built here
rather than by template macros because a page of thirty rows asks for them a hundred times and a
macro call costs several times the string it makes; `_macros.html` and `_workbench.html` call the
same functions, so every page shows them alike."""

from __future__ import annotations

from markupsafe import Markup

from extensions import translate as _  # gettext, through the request's catalogue looked up once
from moderation.service_levels import OVERDUE, SOON, Due, duration_words

COLOURS = {OVERDUE: "danger", SOON: "warning"}


def when_cell(moment) -> Markup:
    """A moment as the back office writes it (UTC, to the minute), machine-readable too; "—" if none."""
    if not moment:
        return Markup("—")
    return Markup('<time datetime="{}">{}</time>').format(moment.isoformat(), moment.strftime("%Y-%m-%d %H:%M"))


def due_cell(due: Due) -> Markup:
    """The due badge (on time, due soon, overdue) and how long is left or late."""
    status = due.status
    span = duration_words(due.left)
    note = _("%(span)s late", span=span) if status == OVERDUE else _("%(span)s left", span=span)
    return Markup(
        '<span class="badge badge-{colour} bo-due bo-due-{status}">{words}</span>\n'
        '  <small class="text-nowrap">{note}</small>'
    ).format(colour=COLOURS.get(status, "success"), status=status, words=due.words, note=note)


def claim_cell(claim, reader_id: int) -> Markup:
    """Who holds the item: the reader, someone else by name, or nothing."""
    if claim is None:
        return Markup("")
    if claim.moderator_id == reader_id:
        return Markup('<span class="badge badge-info">{}</span>').format(_("claimed by you"))
    return Markup('<span class="badge badge-warning">{}</span>').format(
        _("claimed by %(name)s", name=claim.moderator.display_name)
    )
