"""The parties' side of the dispute's conversation: the thread they may read, and the form."""

from __future__ import annotations

from disputes.conversation import (
    AGENT,
    SPEAKER_LABELS,
    audience_label,
    audiences_for,
    role_of,
    speaker,
    visible_messages,
)
from models.accounts import User
from models.disputes import Dispute
from storefront.disputes.forms import MESSAGE_PREFIX, DisputeMessageForm


def message_form(dispute: Dispute, viewer: User, *, posted: bool) -> DisputeMessageForm:
    """The form with the audiences `viewer` may write to: blank, or read from the posted request."""
    form = (
        DisputeMessageForm(prefix=MESSAGE_PREFIX)
        if posted
        else DisputeMessageForm(formdata=None, prefix=MESSAGE_PREFIX)
    )
    role = role_of(dispute, viewer)
    form.audience.choices = [(a.value, audience_label(a, role)) for a in audiences_for(dispute, viewer)]
    return form


def conversation_context(dispute: Dispute, viewer: User, form: DisputeMessageForm | None = None) -> dict:
    """What templates/disputes/_conversation.html needs."""
    role = role_of(dispute, viewer)
    return {
        "conversation": visible_messages(dispute, viewer),
        "conversation_role": role,
        "message_form": form or message_form(dispute, viewer, posted=False),
        "speaker": speaker,
        "speaker_labels": SPEAKER_LABELS,
        "audience_label": audience_label,
        "AGENT": AGENT,
    }
