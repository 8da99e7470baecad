"""Result cards rendered once per process: a card's HTML is a function of its inputs alone.

Rendering the twelve cards of a search page through their macro was the largest part of the
page's own time. A card reads nothing but the Card's fields (the catalogue row and its
designer's public facts), the reader's language and the app's script root, so those are the
cache key, whole: a listing or designer that changes makes a different Card, hence a
different key, and an entry is never stale — it can only stop being asked for, and the
least recently used ones are dropped past CAPACITY. The heart (a form with the session's
CSRF token and this page's address, and whether this viewer favourited the listing) is
personal: it is rendered on every request and put in the card's slot.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import astuple, replace

from flask import current_app, g, request
from flask_babel import get_locale
from markupsafe import Markup

from listings.search import Card

CAPACITY = 4096
MACROS = "catalogue/_macros.html"
HEART_SLOT = "\x00heart\x00"  # no escaped text can hold a NUL

_cards: OrderedDict[tuple, str] = OrderedDict()
_lock = threading.Lock()


def _macros():
    """The catalogue macros with this request's template context (request, csrf_token …)."""
    module = g.get("catalogue_macros")
    if module is None:
        context: dict = {}
        current_app.update_template_context(context)
        module = g.catalogue_macros = current_app.jinja_env.get_template(MACROS).make_module(context)
    return module


def listing_card(card: Card, can_heart: bool = False) -> Markup:
    """The card's HTML, from the cache when this exact card was rendered in this language."""
    key = (str(get_locale()), request.script_root, can_heart, astuple(replace(card, favourite=False)))
    with _lock:
        html = _cards.get(key)
        if html is not None:
            _cards.move_to_end(key)
    if html is None:
        html = str(_macros().listing_card(card, can_heart=can_heart, heart_slot=Markup(HEART_SLOT)))
        with _lock:
            _cards[key] = html
            while len(_cards) > CAPACITY:
                _cards.popitem(last=False)
    if can_heart:
        html = html.replace(HEART_SLOT, str(_macros().heart(card.listing_id, card.favourite)))
    return Markup(html)
