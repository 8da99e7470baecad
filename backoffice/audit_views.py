"""The audit log page: newest first, in words, filtered, exported, each role reading its own area.

Times are written in UTC by the server and rewritten in the viewer's zone by static/js/backoffice.js;
the same script fills the filter form's `tz` field, so a date range means days in the viewer's zone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import sqlalchemy as sa
from flask import Response, flash, request, stream_with_context, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm import selectinload

from audit.areas import readable_prefixes, visible_to
from backoffice import audit_words as words
from backoffice.views import StaffBaseView
from csv_export import csv_lines
from extensions import db, translated_labels
from models.accounts import StaffRole, User
from models.disputes import Dispute
from models.moderation import AuditEntry
from url_numbers import page_number

PER_PAGE = 50
FILTERS = ("actor", "action", "object_type", "object_id", "since", "until", "tz")


@dataclass
class AuditFilters:
    """What the filter form asked for, checked; `problems` says which fields were not understood."""

    values: dict
    since: datetime | None = None
    until: datetime | None = None
    problems: tuple[str, ...] = ()

    @classmethod
    def from_args(cls, args) -> "AuditFilters":
        values = {name: args.get(name, "").strip()[:100] for name in FILTERS}
        zone, problems = timezone.utc, []
        if values["tz"]:
            try:
                zone = ZoneInfo(values["tz"])
            except (ZoneInfoNotFoundError, ValueError):
                values["tz"] = ""
        bounds = {}
        for name, shift in (("since", timedelta(0)), ("until", timedelta(days=1))):
            if not values[name]:
                continue
            try:
                bounds[name] = datetime.combine(
                    date.fromisoformat(values[name]) + shift, time(), tzinfo=zone
                ).astimezone(timezone.utc)
            except (ValueError, OverflowError):  # not a date, or past the last one a datetime holds
                problems.append(name)
                values[name] = ""
        return cls(values, bounds.get("since"), bounds.get("until"), tuple(problems))

    def apply(self, query: sa.Select) -> sa.Select:
        v = self.values
        if v["actor"]:
            like = f"%{v['actor'].lower()}%"
            query = query.where(
                AuditEntry.actor_id.in_(
                    sa.select(User.id).where(
                        sa.or_(sa.func.lower(User.display_name).like(like), sa.func.lower(User.email).like(like))
                    )
                )
            )
        if v["action"].endswith(".*"):
            query = query.where(AuditEntry.action.startswith(v["action"][:-1], autoescape=True))
        elif v["action"]:
            query = query.where(AuditEntry.action == v["action"])
        if v["object_type"]:
            query = query.where(AuditEntry.object_type == v["object_type"])
        if v["object_id"]:
            query = query.where(AuditEntry.object_id == v["object_id"])
        if self.since:
            query = query.where(AuditEntry.at >= self.since)
        if self.until:
            query = query.where(AuditEntry.at < self.until)
        return query

    def args(self) -> dict:
        return {name: value for name, value in self.values.items() if value}


def audit_query(viewer: User, filters: AuditFilters) -> sa.Select:
    """The entries `viewer` may read that match `filters`, newest first."""
    query = (
        sa.select(AuditEntry).where(visible_to(viewer)).options(selectinload(AuditEntry.actor).selectinload(User.roles))
    )
    return filters.apply(query).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())


class AuditLogView(StaffBaseView):
    """Every staff role opens it; what each one reads is limited to its areas (audit.areas)."""

    roles = tuple(StaffRole)

    def __init__(self):
        super().__init__(name=_l("Audit log"), endpoint="audit_log", url="audit-log")

    @expose("/")
    def index_view(self):
        filters = AuditFilters.from_args(request.args)
        for problem in filters.problems:
            flash(
                _(
                    "“%(field)s” is not a date (year-month-day); that filter was left out.",
                    field=_("From") if problem == "since" else _("To"),
                ),
                "error",
            )
        page = db.paginate(
            audit_query(current_user, filters),
            page=request.args.get("page", 1, type=page_number),
            per_page=PER_PAGE,
            error_out=False,
        )
        prefixes = readable_prefixes(current_user)
        return self.render(
            "backoffice/audit/index.html",
            page=page,
            rows=self._rows(page.items),
            filters=filters,
            action_groups=words.action_groups(prefixes),
            role_labels=translated_labels(words.ROLE_LABELS),
            object_types=words.object_choices(),
        )

    @expose("/export/csv/")
    def export_csv(self):
        """The filtered entries as CSV (every page), through the writer that neutralises formulas."""
        query = audit_query(current_user, AuditFilters.from_args(request.args))
        header = [
            _("When (UTC)"),
            _("Who"),
            _("Roles"),
            _("Action"),
            _("What"),
            _("Object"),
            _("Id"),
            _("Reason"),
            _("Changes"),
        ]

        def rows():
            yield header
            for entry in db.session.scalars(query.execution_options(yield_per=500)):
                yield [
                    entry.at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S"),
                    actor_name(entry),
                    " ".join(sorted(r.value for r in entry.actor.staff_roles)) if entry.actor else "",
                    entry.action,
                    words.action_words(entry.action),
                    words.object_label(entry.object_type),
                    entry.object_id,
                    entry.reason or "",
                    "; ".join(
                        f"{field}: {old} → {new}" for field, old, new in words.field_changes(entry.before, entry.after)
                    ),
                ]

        return Response(
            stream_with_context(csv_lines(rows())),
            mimetype="text/csv",
            headers={"Content-Disposition": "attachment;filename=audit-log.csv"},
        )

    def _rows(self, entries: list[AuditEntry]) -> list[dict]:
        links = self._object_links(entries)
        return [
            {
                "entry": e,
                "who": actor_name(e),
                "roles": sorted(r.value for r in e.actor.staff_roles) if e.actor else [],
                "words": words.action_words(e.action),
                "object": words.object_label(e.object_type),
                "link": links.get((e.object_type, e.object_id)),
                "changes": words.field_changes(e.before, e.after),
            }
            for e in entries
        ]

    def _object_links(self, entries: list[AuditEntry]) -> dict[tuple[str, str], str]:
        """(object type, id) → the back-office page of the object, for the pages this viewer may open."""
        open_pages = {v.endpoint for v in self.admin._views if v.is_accessible()}
        links = {}
        for e in entries:
            page = words.OBJECT_PAGES.get(e.object_type)
            if page and page[0].partition(".")[0] in open_pages and e.object_id.isdigit():
                links[(e.object_type, e.object_id)] = url_for(page[0], **{page[1]: int(e.object_id)})
        case_ids = {int(e.object_id) for e in entries if e.object_type == "Case" and e.object_id.isdigit()}
        if case_ids and "resolution" in open_pages:
            # A case's page for staff is the resolution page of its latest dispute.
            for dispute_id, case_id in db.session.execute(
                sa.select(Dispute.id, Dispute.case_id).where(Dispute.case_id.in_(case_ids)).order_by(Dispute.id)
            ):
                links[("Case", str(case_id))] = url_for("resolution.detail", dispute_id=dispute_id)
        return links


def actor_name(entry: AuditEntry) -> str:
    return entry.actor.display_name if entry.actor else _("the platform")
