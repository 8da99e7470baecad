"""The support desk's queue (support staff): tickets waiting for an answer, due first, worked like the other
queues (take, assign, next, answer and next), with canned answers in the requester's language."""

from __future__ import annotations

import sqlalchemy as sa
from flask import request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.views import StaffBaseView
from backoffice.workbench_views import WorkbenchRoutes
from extensions import commit, db, translated_labels
from files.permissions import serves_stored_files
from models.accounts import StaffRole, User
from models.support import TicketStatus
from moderation import claims, macros, workbench
from storefront.files.downloads import user_file_response
from support import operations
from support.topics import TOPIC_LABELS

PER_PAGE = 30


def queue_figures() -> list[dict]:
    """Dashboard: tickets waiting for an answer, and the longest wait."""
    size, oldest = operations.queue_size()
    return [
        {
            "name": _("Support tickets to answer"),
            "size": size,
            "oldest": oldest,
            "url": url_for("support_desk.index_view"),
            "roles": SupportDeskView.roles,
        }
    ]


class SupportDeskView(WorkbenchRoutes, StaffBaseView):
    roles = (StaffRole.support,)
    spec, item_arg = workbench.TICKETS, "ticket_id"
    extra_js = ["/static/js/workbench.js"]

    def __init__(self):
        super().__init__(name=_l("Support desk"), endpoint="support_desk", url="support")

    @expose("/")
    def index_view(self):
        page = self.filtered_page(PER_PAGE)
        # The requesters of the page in one query (a signed-out visitor's ticket has none).
        requesters = {
            u.id: u
            for u in db.session.scalars(
                sa.select(User).where(User.id.in_({t.user_id for t in page.items if t.user_id}))
            )
        }
        return self.render(
            "backoffice/support/index.html",
            page=page,
            topics=translated_labels(TOPIC_LABELS),
            requesters=requesters,
            claims=claims.active_claims(self.spec.kind, [t.id for t in page.items]),
            **self.workbench_context(page),
        )

    @expose("/<int:ticket_id>")
    def detail(self, ticket_id: int):
        ticket = self._queue_item(ticket_id)
        return self.render(
            "backoffice/support/detail.html",
            ticket=ticket,
            topics=TOPIC_LABELS,
            claim=claims.active_claim(self.spec.kind, ticket.id),
            offers=macros.offers(macros.SUPPORT, ticket),
            note_text=macros.offered_text(macros.SUPPORT, ticket, request.args.get("macro", type=int)),
            answerable=ticket.status in (TicketStatus.open, TicketStatus.waiting),
            **self.item_workbench(ticket),
        )

    @expose("/<int:ticket_id>/answer", methods=["POST"])
    def answer(self, ticket_id: int):
        ticket = self._queue_item(ticket_id)
        solve = request.form.get("solve") == "1"
        return self.run_decision(
            lambda: operations.answer_ticket(
                ticket, actor=current_user, text=request.form.get("text", ""), solve=solve
            ),
            done=_("Your answer is sent; the ticket is solved.")
            if solve
            else _("Your answer is sent; the ticket waits on the user."),
            back=self.and_next(ticket_id) or url_for(".index_view"),
            refused=url_for(".detail", ticket_id=ticket_id),
        )

    @expose("/<int:ticket_id>/solve", methods=["POST"])
    def solve(self, ticket_id: int):
        ticket = self._queue_item(ticket_id)
        return self.run_decision(
            lambda: operations.solve_ticket(ticket, actor=current_user),
            done=_("The ticket is solved."),
            back=self.and_next(ticket_id) or url_for(".index_view"),
            refused=url_for(".detail", ticket_id=ticket_id),
        )

    @expose("/<int:ticket_id>/release", methods=["POST"])
    def release(self, ticket_id: int):
        return self.run_decision(
            lambda: claims.release_item(self.spec.kind, ticket_id, actor=current_user),
            done=_("You left this item."),
            back=url_for(".index_view"),
        )

    @expose("/<int:ticket_id>/files/<public_id>")
    @serves_stored_files
    def attachment(self, ticket_id: int, public_id: str):
        ticket = self._queue_item(ticket_id)
        stored, chunks = operations.read_ticket_file(ticket, public_id, actor=current_user)
        name, content_type, size = stored.original_name, stored.content_type, stored.size
        commit()  # the opening's audit row is kept before the bytes leave
        return user_file_response(chunks, name=name, content_type=content_type, length=size)
