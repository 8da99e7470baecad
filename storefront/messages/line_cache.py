"""Message lines and inbox rows rendered once per process: their HTML is a function of their inputs alone.

Rendering the fifty messages of a conversation (the twenty rows of the inbox) through their macro
was the largest part of the page's own time. A line reads nothing but the MessageLine (a frozen
row: its body, sender's name and files), whether the reader sent it and takes part, the labels
and link prefixes the thread passes (translated and built for the page), the reader's language
and time zone (the macro's own strings and the date); an inbox row nothing but the InboxRow (its
names, subject, last message and unread count), the reader's id, the conversation link's prefix,
language and time zone. Those are the cache keys, whole. A message or conversation that changes
(a new body, a renamed sender, one more unread) is a different row, hence a different key, so an
entry is never stale — it can only stop being asked for, and the least recently used ones are
dropped past CAPACITY.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable

from flask import current_app
from markupsafe import Markup

from messaging.threads import InboxRow, MessageLine
from storefront.dates import reading_key

CAPACITY = 4096  # as the catalogue cards: a few MB of typical lines; long bodies make it more
MACROS = "messages/_macros.html"

_fragments: OrderedDict[tuple, Markup] = OrderedDict()
_lock = threading.Lock()


def _cached(key: tuple, render: Callable[[], Markup]) -> Markup:
    with _lock:
        html = _fragments.get(key)
        if html is not None:
            _fragments.move_to_end(key)
            return html
    html = render()
    with _lock:
        _fragments[key] = html
        while len(_fragments) > CAPACITY:
            _fragments.popitem(last=False)
    return html


def _macros():
    """The messages macros' module (the pages import them without a context: it takes none)."""
    return current_app.jinja_env.get_template(MACROS).module


def message_item(message: MessageLine, viewer_id: int, takes_part: bool, you: str, report: str, links: tuple) -> Markup:
    """The macro message_item's HTML (same arguments), from the cache when this exact line was
    rendered for this kind of reader, in this language and time zone."""
    mine = message.sender_id == viewer_id
    key = ("line", reading_key(), mine, takes_part, str(you), str(report), links, message)
    return _cached(key, lambda: _macros().message_item(message, viewer_id, takes_part, you, report, links))


def inbox_row(row: InboxRow, my_id: int, conversation_url: str) -> Markup:
    """The macro inbox_row's HTML (same arguments), from the cache when this exact row was rendered
    for this reader, in this language and time zone."""
    key = ("inbox", reading_key(), my_id, conversation_url, row)
    return _cached(key, lambda: _macros().inbox_row(row, my_id, conversation_url))
