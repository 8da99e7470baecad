"""The resolution agent's side of a dispute's conversation: the whole thread and the form.

A mixin of the dispute queue's view, whose `_dispute` already refuses (404) anyone without the
resolution agent's power and second factor, and an agent who is a party to the case.
"""

from __future__ import annotations

from flask import flash, redirect, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import SelectField, TextAreaField
from wtforms.validators import DataRequired, Length

from disputes.conversation import (
    AGENT,
    AGENT_AUDIENCE_LABELS,
    SPEAKER_LABELS,
    audience_label,
    post_dispute_message,
    speaker,
    visible_messages,
)
from errors import DomainError, NotFound
from extensions import commit, db
from messaging.operations import MAX_BODY
from models.disputes import Dispute
from screening.contact_filter import ContactDetailsRefused
from storefront.contact_refusal import keep_refused_attempt

MESSAGE_PREFIX = "message"  # the fields are message-audience and message-body on the page


class AgentMessageForm(FlaskForm):
    audience = SelectField(
        _l("To"), choices=[(a.value, label) for a, label in AGENT_AUDIENCE_LABELS.items()], validators=[DataRequired()]
    )
    body = TextAreaField(_l("Message"), validators=[DataRequired(_l("Write a message.")), Length(max=MAX_BODY)])


class DisputeConversationViews:
    """Mixin: the conversation panel of the dispute page and the route that posts to it."""

    def conversation_context(
        self,
        dispute: Dispute,
        form: AgentMessageForm | None = None,
        refusal: ContactDetailsRefused | None = None,
        macro: str | None = None,
    ) -> dict:
        """What templates/backoffice/disputes/_conversation.html needs (`macro`: a canned response's
        text to start the message from)."""
        return {
            "conversation": visible_messages(dispute, current_user),
            "message_form": form or AgentMessageForm(formdata=None, prefix=MESSAGE_PREFIX, body=macro),
            "message_refusal": refusal,
            "speaker": speaker,
            "speaker_labels": SPEAKER_LABELS,
            "audience_label": audience_label,
            "AGENT": AGENT,
        }

    @expose("/<int:dispute_id>/messages", methods=["POST"])
    def post_message(self, dispute_id: int):
        dispute = self._dispute(dispute_id)
        back = url_for(".detail", dispute_id=dispute_id) + "#conversation"
        form = AgentMessageForm(prefix=MESSAGE_PREFIX)
        if not form.validate():
            flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
            return redirect(back)
        try:
            post_dispute_message(dispute, actor=current_user, body=form.body.data, audience=form.audience.data)
        except ContactDetailsRefused as exc:
            # The highlighted spans are shown on the page again; the attempt is kept for moderators.
            keep_refused_attempt(exc)
            dispute = self._dispute(dispute_id)
            return self.detail(dispute_id, conversation=self.conversation_context(dispute, form, exc)), 400
        except NotFound:
            raise
        except DomainError as exc:
            db.session.rollback()
            flash(exc.message, "error")
            return redirect(back)
        commit()
        flash(_("Your message was sent."), "success")
        return redirect(back)
