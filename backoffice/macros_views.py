"""Canned responses (admins): list, write, edit and retire the macros the decision forms offer."""

from __future__ import annotations

from flask import abort, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from backoffice.views import StaffBaseView
from errors import DomainError
from extensions import commit, db
from models.accounts import StaffRole
from models.moderation import CannedResponse
from moderation import macros
from url_numbers import page_number

PER_PAGE = 50


class MacroForm(FlaskForm):
    queue = SelectField(_l("Queue"), choices=[])
    language = SelectField(_l("Language"), choices=[])
    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=macros.TITLE_MAX)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=macros.BODY_MAX)])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.queue.choices = [(code, str(label)) for code, label in macros.QUEUES.items()]
        self.language.choices = [(code, str(label)) for code, label in macros.LANGUAGES.items()]


class MacrosView(StaffBaseView):
    roles = (StaffRole.admin,)

    def __init__(self):
        super().__init__(name=_l("Canned responses"), endpoint="macros", url="macros")

    @expose("/")
    def index_view(self):
        queue, language = request.args.get("queue", ""), request.args.get("language", "")
        retired = request.args.get("retired") == "1"
        page = db.paginate(
            macros.macro_list(queue=queue, language=language, retired=retired),
            page=request.args.get("page", 1, type=page_number),
            per_page=PER_PAGE,
            error_out=False,
        )
        return self.render(
            "backoffice/macros/index.html",
            page=page,
            queue=queue,
            language=language,
            retired=retired,
            queues=macros.QUEUES,
            languages=macros.LANGUAGES,
        )

    def _save(self, form: MacroForm, save, *, done: str, again: str):
        """Validate the form, then let the domain check placeholders; a refusal shows the form again."""
        if form.validate_on_submit():
            try:
                save(form)
            except DomainError as exc:
                db.session.rollback()
                (form[exc.field].errors if exc.field in form else form.form_errors).append(exc.message)
            else:
                commit()
                flash(done, "success")
                return redirect(url_for(".index_view", queue=form.queue.data, language=form.language.data))
        return self.render(
            "backoffice/macros/form.html",
            form=form,
            again=again,
            placeholders=macros.PLACEHOLDERS,
            words=macros.PLACEHOLDER_WORDS,
            queues=macros.QUEUES,
        )

    @expose("/new", methods=["GET", "POST"])
    def new(self):
        form = MacroForm(queue=request.args.get("queue"), language=request.args.get("language"))
        return self._save(
            form,
            lambda f: macros.create_macro(
                actor=current_user, queue=f.queue.data, language=f.language.data, title=f.title.data, body=f.body.data
            ),
            done=_("The canned response is saved."),
            again=url_for(".new"),
        )

    @expose("/<int:macro_id>", methods=["GET", "POST"])
    def edit(self, macro_id: int):
        macro = db.session.get(CannedResponse, macro_id) or abort(404)
        form = MacroForm(obj=macro)
        return self._save(
            form,
            lambda f: macros.update_macro(
                macro.id,
                actor=current_user,
                queue=f.queue.data,
                language=f.language.data,
                title=f.title.data,
                body=f.body.data,
            ),
            done=_("The canned response is changed."),
            again=url_for(".edit", macro_id=macro.id),
        )

    @expose("/<int:macro_id>/retire", methods=["POST"])
    def retire(self, macro_id: int):
        macro = db.session.get(CannedResponse, macro_id) or abort(404)
        return self.run_decision(
            lambda: macros.retire_macro(macro.id, actor=current_user),
            done=_("The canned response is retired: no decision form offers it now."),
            back=url_for(".index_view", queue=macro.queue, language=macro.language),
            refused=url_for(".edit", macro_id=macro.id),
        )
