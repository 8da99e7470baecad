"""Card disputes (chargebacks) for the resolution centre: every one the banks opened through
Stripe, open ones first, with what they did to the money (disputes.chargebacks)."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, request, url_for
from flask_admin import Admin, expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from backoffice.views import StaffBaseView
from disputes import chargebacks
from extensions import db
from models.accounts import StaffRole
from models.chargebacks import CLOSED_STATUSES, Chargeback
from url_numbers import page_number

PER_PAGE = 30
# What the partial and the list call to word Stripe's values.
CARD_LABELS = {"status": chargebacks.status_label, "reason": chargebacks.reason_label}


def queue_figures() -> list[dict]:
    """Dashboard: card disputes the banks have not decided yet."""
    size, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(Chargeback.opened_at)).where(Chargeback.status.not_in(CLOSED_STATUSES))
    ).one()
    return [
        {
            "name": _("Card disputes waiting for the bank"),
            "size": size,
            "oldest": oldest,
            "url": url_for("card_disputes.index_view"),
            "roles": CardDisputesView.roles,
        }
    ]


class CardDisputesView(StaffBaseView):
    roles = (StaffRole.resolution_agent, StaffRole.admin)

    def __init__(self):
        super().__init__(name=_l("Card disputes"), endpoint="card_disputes", url="card-disputes")

    @expose("/")
    def index_view(self):
        query = sa.select(Chargeback).order_by(Chargeback.status.in_(CLOSED_STATUSES), Chargeback.opened_at.desc())
        page = db.paginate(
            query, page=request.args.get("page", 1, type=page_number), per_page=PER_PAGE, error_out=False
        )
        return self.render("backoffice/disputes/card_disputes.html", page=page)


def register_card_dispute_views(app: Flask, admin: Admin) -> None:
    """The Card disputes list, and what the dispute pages' card-dispute partial reads."""
    admin.add_view(CardDisputesView())
    app.jinja_env.globals.update(
        card_disputes_of=chargebacks.chargebacks_of,
        card_disputed_cases=chargebacks.card_disputed_cases,
        card_dispute_labels=CARD_LABELS,
    )
