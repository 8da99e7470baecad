"""The resolution centre's side of evidence requests: ask a party, read what came back.

Mixed into backoffice.disputes_views.DisputeQueueView, whose dispute lookup (`_dispute`:
agents only, never on their own case) and decision runner it uses.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from disputes import evidence_requests
from disputes.evidence_requests import MAX_DAYS, MIN_DAYS, MIN_WHAT, PARTY_LABELS
from disputes.ruling_due import ruling_due
from models.disputes import Dispute, DisputeParty


FORM_PREFIX = "evidence-request"  # the dispute page holds other forms: ids stay apart


class EvidenceRequestForm(FlaskForm):
    party = SelectField(
        _l("Ask"), choices=[(p.value, PARTY_LABELS[p]) for p in DisputeParty], validators=[DataRequired()]
    )
    what = TextAreaField(_l("Evidence needed"), validators=[DataRequired(), Length(min=MIN_WHAT, max=5000)])
    due_days = IntegerField(
        _l("Due in days (%(min)d to %(max)d)", min=MIN_DAYS, max=MAX_DAYS),
        default=5,
        validators=[InputRequired(), NumberRange(MIN_DAYS, MAX_DAYS)],
    )


def evidence_requests_context(dispute: Dispute) -> dict:
    """What the dispute page's evidence-request panel and ruling due date show."""
    return {
        "evidence_requests": evidence_requests.requests_of(dispute),
        "ruling_due": ruling_due(dispute),
        "request_form": EvidenceRequestForm(formdata=None, prefix=FORM_PREFIX),
        "request_overdue": evidence_requests.is_overdue,
        "party_labels": PARTY_LABELS,
    }


class EvidenceRequestActions:
    @expose("/<int:dispute_id>/evidence-requests", methods=["POST"])
    def request_evidence(self, dispute_id: int):
        dispute = self._dispute(dispute_id)
        back = url_for(".detail", dispute_id=dispute_id) + evidence_requests.ANCHOR
        form = EvidenceRequestForm(prefix=FORM_PREFIX)
        if not form.validate():
            flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
            return redirect(back)
        return self.run_decision(
            lambda: evidence_requests.request_evidence(
                dispute, actor=current_user, party=form.party.data, what=form.what.data, due_days=form.due_days.data
            ),
            done=_("The evidence request was sent; the ruling is due later accordingly."),
            back=back,
        )
