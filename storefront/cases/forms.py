"""Case forms: they check shape; cases/ checks the domain."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Optional

from cases.prescription import CONTACTS, MATERIALS


class OrderForm(FlaskForm):
    """The order page. Teeth, arches and per-tooth restorations come from the chart's inputs
    (teeth, arches, restoration_<tooth>), read by the view alongside these fields."""

    material = SelectField(
        _l("Material"), choices=[("", _l("Choose…"))] + list(MATERIALS.items()), validators=[Optional()]
    )
    shade = StringField(
        _l("Shade"), validators=[Optional(), Length(max=20)], render_kw={"placeholder": "A2", "autocomplete": "off"}
    )
    cement_gap_um = StringField(_l("Cement gap (µm)"), validators=[Optional()], render_kw={"inputmode": "numeric"})
    min_thickness_mm = StringField(
        _l("Minimum thickness (mm)"), validators=[Optional()], render_kw={"inputmode": "decimal"}
    )
    contacts = SelectField(
        _l("Contacts"), choices=[("", _l("Designer's choice"))] + list(CONTACTS.items()), validators=[Optional()]
    )
    instructions = TextAreaField(_l("Instructions"), validators=[Optional(), Length(max=5000)])
    client_case_id = StringField(_l("Your case ID"), validators=[Optional(), Length(max=64)])
    attachments = MultipleFileField(_l("Scans and photos"))
    card_number = StringField(
        _l("Card number"),
        validators=[Optional(), Length(max=23)],
        render_kw={"autocomplete": "off", "inputmode": "numeric"},
    )
    accept_unavailable = HiddenField()
    # Shown once the client already has an open case with the same case ID.
    send_anyway = BooleanField(_l("Send it anyway"))


class CompleteForm(FlaskForm):
    """ "Transaction complete" is sent only from its confirmation page, which carries this field."""

    confirm = HiddenField(validators=[AnyOf(["release"])])


# The case page writes the reject, revision and grant forms as plain HTML (with the CSRF token these
# forms check): the limits the forms check are the ones its fields show.
ACTION_LIMITS = {"reason": 2000, "note": 5000, "extra_revisions": (1, 10)}


class ReasonForm(FlaskForm):
    reason = TextAreaField(_l("Reason"), validators=[DataRequired(), Length(max=ACTION_LIMITS["reason"])])


class NoteForm(FlaskForm):
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=5000)])


class DeliveryForm(FlaskForm):
    note = TextAreaField(_l("Note to the client"), validators=[Optional(), Length(max=5000)])
    files = MultipleFileField(_l("Design files"))


class RevisionForm(FlaskForm):
    note = TextAreaField(_l("What should change?"), validators=[DataRequired(), Length(max=ACTION_LIMITS["note"])])


class GrantForm(FlaskForm):
    count = IntegerField(
        _l("Extra revisions"), default=1, validators=[DataRequired(), NumberRange(*ACTION_LIMITS["extra_revisions"])]
    )


_STAR_CHOICES = [(str(n), str(n)) for n in range(5, 0, -1)]


class ReviewForm(FlaskForm):
    stars = RadioField(_l("Rating"), choices=_STAR_CHOICES, validators=[DataRequired()])
    text = TextAreaField(_l("Review"), validators=[Optional(), Length(max=2000)])
    # The dental sub-ratings (client reviews only), each optional.
    fit = RadioField(_l("Fit"), choices=_STAR_CHOICES, validators=[Optional()])
    margins = RadioField(_l("Margins and contacts"), choices=_STAR_CHOICES, validators=[Optional()])
    aesthetics = RadioField(_l("Aesthetics"), choices=_STAR_CHOICES, validators=[Optional()])
    communication = RadioField(_l("Communication"), choices=_STAR_CHOICES, validators=[Optional()])

    def sub_ratings(self) -> dict[str, int | None]:
        return {
            name: int(getattr(self, name).data) if getattr(self, name).data else None
            for name in ("fit", "margins", "aesthetics", "communication")
        }


class OutcomeForm(FlaskForm):
    outcome = RadioField(
        _l("Clinical outcome"),
        validators=[DataRequired()],
        choices=[
            ("seated", _l("Seated as designed")),
            ("adjusted", _l("Seated after adjustments")),
            ("remade", _l("Remade")),
        ],
    )
