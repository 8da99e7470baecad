"""The verification queue (verifiers): documents viewed decrypted on the fly, never cached;
approve or reject, and the documents are gone."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.forms import ReasonForm
from backoffice.views import StaffBaseView
from backoffice.workbench_views import WorkbenchRoutes
from extensions import commit, db
from models.accounts import StaffRole
from files.permissions import serves_stored_files
from models.verification import VerificationStatus, VerificationSubmission
from moderation import claims, kyc, macros, workbench
from storefront.files.downloads import user_file_response
from url_numbers import page_number
from profiles.operations import profile_for

PER_PAGE = 30


def queue_figures() -> list[dict]:
    size, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(VerificationSubmission.submitted_at)).where(
            VerificationSubmission.status == VerificationStatus.submitted
        )
    ).one()
    return [
        {
            "name": _("Identity verifications"),
            "size": size,
            "oldest": oldest,
            "url": url_for("verifications.index_view"),
            "roles": VerificationQueueView.roles,
        }
    ]


class VerificationQueueView(WorkbenchRoutes, StaffBaseView):
    roles = (StaffRole.verifier,)
    spec, item_arg = workbench.VERIFICATIONS, "submission_id"
    extra_js = ["/static/js/workbench.js"]

    def __init__(self):
        super().__init__(name=_l("Verifications"), endpoint="verifications", url="verifications")

    @expose("/")
    def index_view(self):
        decided = request.args.get("decided") == "1"
        if decided:
            query = (
                sa.select(VerificationSubmission)
                .where(VerificationSubmission.status != VerificationStatus.submitted)
                .options(*workbench.row_options(self.spec))  # the designer and verifier of each row
                .order_by(VerificationSubmission.decided_at.desc())
            )
            page = db.paginate(
                query, page=request.args.get("page", 1, type=page_number), per_page=PER_PAGE, error_out=False
            )
        else:
            page = self.filtered_page(PER_PAGE)
        return self.render(
            "backoffice/kyc/index.html",
            page=page,
            decided=decided,
            claims=claims.active_claims("verification", [s.id for s in page.items]),
            **self.workbench_context(page),
        )

    @expose("/<int:submission_id>")
    def detail(self, submission_id: int):
        submission = db.session.get(VerificationSubmission, submission_id) or abort(404)
        claim = claims.active_claim("verification", submission.id)
        return self.render(
            "backoffice/kyc/detail.html",
            submission=submission,
            claim=claim,
            profile=profile_for(submission.designer),
            labels=kyc.DOCUMENT_LABELS,
            reason_form=ReasonForm(),
            offers=macros.offers(macros.VERIFICATION, submission),
            note_text=macros.offered_text(macros.VERIFICATION, submission, request.args.get("macro", type=int)),
            **self.item_workbench(submission),
        )

    @expose("/document/<public_id>")
    @serves_stored_files
    def document(self, public_id: str):
        document = kyc.document_by_file(public_id) or abort(404)
        stored = document.stored_file
        chunks = kyc.open_document(document, actor=current_user)  # NotFound once decided or not held
        commit()  # the opening's audit row is kept before the bytes leave
        # Identity papers are never kept by a browser or a proxy (no-store, and Pragma for old ones).
        return user_file_response(
            chunks,
            name=stored.original_name,
            content_type=stored.content_type,
            length=stored.size,
            headers={"Pragma": "no-cache"},
        )

    @expose("/<int:submission_id>/approve", methods=["POST"])
    def approve(self, submission_id: int):
        submission = db.session.get(VerificationSubmission, submission_id) or abort(404)
        return self.run_decision(
            lambda: kyc.approve_verification(submission, actor=current_user),
            done=_("Identity approved; the documents are deleted."),
            back=self.and_next(submission_id) or url_for(".index_view"),
            refused=url_for(".detail", submission_id=submission_id),
        )

    @expose("/<int:submission_id>/reject", methods=["POST"])
    def reject(self, submission_id: int):
        submission = db.session.get(VerificationSubmission, submission_id) or abort(404)
        return self.run_decision(
            lambda: kyc.reject_verification(submission, actor=current_user, reason=request.form.get("reason", "")),
            done=_("Verification rejected; the documents are deleted."),
            back=self.and_next(submission_id) or url_for(".index_view"),
            refused=url_for(".detail", submission_id=submission_id),
        )
