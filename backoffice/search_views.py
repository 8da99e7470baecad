"""The back office's search page: one box, results grouped by area (see backoffice.staff_search)."""

from __future__ import annotations

from flask import request
from flask_admin import expose
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.permissions import is_staff_with
from backoffice.staff_search import SHORTEST, record_message_search, search, searchable_text
from backoffice.views import StaffBaseView
from extensions import commit
from models.accounts import StaffRole

SEARCH_ROLES = (StaffRole.moderator, StaffRole.resolution_agent)


def may_search() -> bool:
    """Whether the layout shows the search box to the viewer (verifiers have no search area)."""
    return is_staff_with(*SEARCH_ROLES)


class SearchView(StaffBaseView):
    roles = SEARCH_ROLES

    def __init__(self):
        super().__init__(name=_l("Search"), endpoint="staff_search", url="search")

    @expose("/")
    def index_view(self):
        text = searchable_text(request.args.get("q"))
        results = search(text, viewer=current_user)
        if results.messages:
            record_message_search(text, results.messages, actor=current_user)
            commit()
        return self.render("backoffice/search.html", text=text, results=results, shortest=SHORTEST)
