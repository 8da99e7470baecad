"""Message lines rendered once per process: a line's HTML is a function of its inputs alone.

Rendering the fifty messages of a conversation through their macro was the largest part of the
page's own time. A line reads nothing but the MessageLine (a frozen row: its body, sender's
name and files), whether the reader sent it and takes part, the labels and link prefixes the
thread passes (translated and built for the page), the reader's language and time zone (the
macro's own strings and the date): those are the cache key, whole. A message that changes
(a new body, a renamed sender, a file more) is a different MessageLine, hence a different key,
so an entry is never stale — it can only stop being asked for, and the least recently used
ones are dropped past CAPACITY.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

from flask import current_app
from markupsafe import Markup

from messaging.threads import MessageLine
from storefront.dates import reading_key

CAPACITY = 8192  # four pages of fifty in both languages for forty readers at once
MACROS = "messages/_macros.html"

_lines: OrderedDict[tuple, Markup] = OrderedDict()
_lock = threading.Lock()


def message_item(message: MessageLine, viewer_id: int, takes_part: bool, you: str, report: str, links: tuple) -> Markup:
    """The macro message_item's HTML (same arguments), from the cache when this exact line was
    rendered for this kind of reader, in this language and time zone."""
    mine = message.sender_id == viewer_id
    key = (reading_key(), mine, takes_part, str(you), str(report), links, message)
    with _lock:
        html = _lines.get(key)
        if html is not None:
            _lines.move_to_end(key)
            return html
    # The macros' module takes no context (the thread imports them without one).
    macro = current_app.jinja_env.get_template(MACROS).module.message_item
    html = macro(message, viewer_id, takes_part, you, report, links)
    with _lock:
        _lines[key] = html
        while len(_lines) > CAPACITY:
            _lines.popitem(last=False)
    return html
