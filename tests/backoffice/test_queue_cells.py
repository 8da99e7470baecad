"""The cells of a queue row: what a moderator reads, in their language, with names escaped."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

from flask_babel import force_locale

from backoffice.queue_cells import claim_cell, due_cell, when_cell
from moderation.service_levels import due_by_deadline

NOW = datetime(2026, 12, 7, 12, 0, tzinfo=timezone.utc)


def test_a_claim_by_someone_else_names_them_escaped_and_ones_own_says_so(request_context):
    claim = SimpleNamespace(moderator_id=7, moderator=SimpleNamespace(display_name="<b>Eve</b>"))
    assert str(claim_cell(claim, 7)) == '<span class="badge badge-info">claimed by you</span>'
    assert "claimed by &lt;b&gt;Eve&lt;/b&gt;" in str(claim_cell(claim, 8))
    assert str(claim_cell(None, 7)) == ""


def test_the_due_badge_says_late_or_left_in_the_readers_language(request_context):
    late = due_by_deadline(NOW - timedelta(days=3), NOW - timedelta(hours=5), NOW)
    soon = due_by_deadline(NOW - timedelta(days=3), NOW + timedelta(minutes=40), NOW)
    assert "bo-due-overdue" in due_cell(late) and "overdue" in due_cell(late) and "5 h 0 min late" in due_cell(late)
    assert "bo-due-soon" in due_cell(soon) and "40 min left" in due_cell(soon)
    with force_locale("fr"):
        assert "en retard" in due_cell(late)


def test_a_moment_reads_to_the_minute_and_nothing_reads_as_a_dash():
    assert str(when_cell(NOW)) == '<time datetime="2026-12-07T12:00:00+00:00">2026-12-07 12:00</time>'
    assert str(when_cell(None)) == "—"
