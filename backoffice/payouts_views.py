"""Payouts not sent, for the resolution centre: completed cases whose payout the payment provider
refused again (payments.refused_payouts), each asked again by a staff member once the designer's
payout account can take it."""

from __future__ import annotations

from flask import request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.views import StaffBaseView
from models.accounts import StaffRole
from models.ledger import MovementState
from payments import refused_payouts
from url_numbers import page_number

PER_PAGE = 30


def queue_figures() -> list[dict]:
    """Dashboard: payouts waiting for staff."""
    size, oldest = refused_payouts.refused_payouts_count()
    return [
        {
            "name": _("Payouts the provider refused"),
            "size": size,
            "oldest": oldest,
            "url": url_for("refused_payouts.index_view"),
            "roles": RefusedPayoutsView.roles,
        }
    ]


class RefusedPayoutsView(StaffBaseView):
    roles = (StaffRole.resolution_agent, StaffRole.admin)

    def __init__(self):
        super().__init__(name=_l("Payouts not sent"), endpoint="refused_payouts", url="payouts-not-sent")

    @expose("/")
    def index_view(self):
        page = refused_payouts.refused_payouts(page=request.args.get("page", 1, type=page_number), per_page=PER_PAGE)
        return self.render("backoffice/payouts/refused.html", page=page)

    @expose("/<int:case_id>/ask-again", methods=("POST",))
    def ask_again(self, case_id: int):
        return self.run_decision(
            lambda: refused_payouts.ask_again(case_id, actor=current_user),
            done=_told,
            back=url_for(".index_view"),
        )


def _told(asked: refused_payouts.PayoutAskedAgain) -> tuple[str, str]:
    """Refused again, the attempt and its audit row are kept all the same: say the provider's words."""
    if asked.state == MovementState.failed:
        return _("The payment provider refused the payout again: %(error)s", error=asked.error or ""), "error"
    return _("The payout was asked again; the case shows it as paid once the payment provider confirms it."), "success"
