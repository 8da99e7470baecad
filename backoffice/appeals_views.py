"""The appeals queue (moderators): suspended and terminated account holders asking for another look.

The moderator whose decision is appealed sees the appeal but cannot decide it (moderation.appeals).
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.views import StaffBaseView
from extensions import db
from models.accounts import StaffRole
from models.moderation import Appeal, AppealStatus
from moderation import appeals
from url_numbers import page_number

PER_PAGE = 30


def queue_figures() -> list[dict]:
    """Dashboard: open appeals, and the oldest one's age."""
    size, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(Appeal.created_at)).where(Appeal.status == AppealStatus.open)
    ).one()
    return [
        {
            "name": _("Open appeals"),
            "size": size,
            "oldest": oldest,
            "url": url_for("appeals.index_view"),
            "roles": AppealsView.roles,
        }
    ]


class AppealsView(StaffBaseView):
    roles = (StaffRole.moderator,)

    def __init__(self):
        super().__init__(name=_l("Appeals"), endpoint="appeals", url="appeals")

    @expose("/")
    def index_view(self):
        status = request.args.get("status", "open")
        if status not in {s.value for s in AppealStatus}:
            status = "open"
        query = sa.select(Appeal).where(Appeal.status == AppealStatus(status))
        query = query.order_by(Appeal.created_at.asc() if status == "open" else Appeal.decided_at.desc())
        page = db.paginate(
            query, page=request.args.get("page", 1, type=page_number), per_page=PER_PAGE, error_out=False
        )
        return self.render(
            "backoffice/appeals/index.html", page=page, status=status, statuses=[s.value for s in AppealStatus]
        )

    @expose("/<int:appeal_id>")
    def detail(self, appeal_id: int):
        appeal = db.session.get(Appeal, appeal_id) or abort(404)
        return self.render(
            "backoffice/appeals/detail.html", appeal=appeal, may_decide=appeals.can_decide(appeal, current_user)
        )

    def _decide(self, appeal_id: int, *, reinstate: bool, done: str):
        appeal = db.session.get(Appeal, appeal_id) or abort(404)
        return self.run_decision(
            lambda: appeals.decide_appeal(
                appeal, actor=current_user, reinstate=reinstate, note=request.form.get("note", "")
            ),
            done=done,
            back=url_for(".index_view"),
            refused=url_for(".detail", appeal_id=appeal_id),
        )

    @expose("/<int:appeal_id>/uphold", methods=["POST"])
    def uphold(self, appeal_id: int):
        return self._decide(appeal_id, reinstate=False, done=_("The decision is upheld; the account holder is told."))

    @expose("/<int:appeal_id>/reinstate", methods=["POST"])
    def reinstate(self, appeal_id: int):
        return self._decide(appeal_id, reinstate=True, done=_("The account is reinstated; its holder is told."))
