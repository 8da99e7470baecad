"""The case area's blueprint and the template globals its pages use (views and ordering import bp)."""

from __future__ import annotations

from flask import Blueprint
from flask_babel import format_timedelta

from cases.states import STATE_LABELS, state_badge
from extensions import labels_in_language
from messaging.events import CASE_ACTIONS, case_action_label

bp = Blueprint("cases", __name__, url_prefix="/cases")


@bp.app_template_global()
def case_state_label(state) -> str:
    return labels_in_language(STATE_LABELS)[state]


@bp.app_template_global()
def case_state_badge(state) -> str:
    return state_badge(state)


@bp.app_template_global()
def time_from_now(at, now) -> str:
    """ "in 2 days", "3 hours ago" in the reader's language: the countdown to a deadline."""
    return format_timedelta(at - now, granularity="minute", add_direction=True)


@bp.app_template_global()
def case_action_text(action: str) -> str:
    """case_action_label, its table translated once per language (a timeline reads one per event)."""
    name = getattr(action, "value", action)
    label = labels_in_language(CASE_ACTIONS).get(name)
    return case_action_label(action) if label is None else label
