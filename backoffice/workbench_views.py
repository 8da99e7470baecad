"""Workbench routes shared by the queues: take an item, a lead's assignment, the next due item,
and "decide and next". A view using them names its QueueSpec (`spec`) and its detail route's
argument (`item_arg`)."""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_login import current_user

from extensions import commit, db
from models.accounts import User
from models.types import utcnow
from moderation import claims, permissions, service_levels, workbench
from url_numbers import page_number


class WorkbenchRoutes:
    spec: workbench.QueueSpec
    item_arg = "item_id"

    def _detail_url(self, item_id: int) -> str:
        return url_for(".detail", **{self.item_arg: item_id})

    def _queue_item(self, item_id: int):
        return db.session.get(self.spec.model, item_id) or abort(404)

    def next_due_item(self, after: int | None):
        """The next item to hand the current staff member (a queue with its own order overrides it)."""
        return workbench.next_due(self.spec, actor=current_user, after=after)

    def workbench_context(self, page) -> dict:
        """What a queue page shows besides its rows: filters, due times, workload, the staff to assign."""
        now = utcnow()
        staff, workload = workbench.staff_and_workload(self.spec)
        return {
            "filters": workbench.Filters.from_args(request.args, self.spec),
            "spec": self.spec,
            "dues": {
                i.id: service_levels.due_of(self.spec.kind, getattr(i, self.spec.submitted.key), now)
                for i in page.items
                if getattr(i, self.spec.submitted.key) is not None
            },
            "workload": workload,
            "staff": staff,
            "is_lead": permissions.can_lead(current_user),
            "duration": service_levels.duration_words,
            "languages": current_app.config["LANGUAGES"],
        }

    def filtered_page(self, per_page: int):
        filters = workbench.Filters.from_args(request.args, self.spec)
        return workbench.queue_page(
            self.spec,
            filters,
            actor=current_user,
            page=request.args.get("page", 1, type=page_number),
            per_page=per_page,
        )

    def item_workbench(self, item) -> dict:
        """What an item's page shows to work it: its due time, the lead's staff list."""
        since = getattr(item, self.spec.submitted.key) or utcnow()
        return {
            "due": service_levels.due_of(self.spec.kind, since, utcnow()),
            "is_lead": permissions.can_lead(current_user),
            "staff": workbench.queue_staff(self.spec),
            "duration": service_levels.duration_words,
            "item_arg": self.item_arg,
        }

    def and_next(self, item_id: int, asked: bool | None = None) -> str | None:
        """`back` for a decision taken with "and next" (the form's and_next, or `asked`): the next due
        item, claimed for the decider (who asked for it), or the queue when nothing else waits.
        None without "and next"."""
        if not (request.form.get("and_next") == "1" if asked is None else asked):
            return None

        def next_item() -> str:
            item = self.next_due_item(item_id)
            if item is None:
                flash(_("Nothing else waits in this queue."), "info")
                return url_for(".index_view")
            claims.claim_item(self.spec.kind, item.id, actor=current_user)
            return self._detail_url(item.id)

        return next_item

    @expose("/<int:item_id>/take", methods=["POST"])
    def take(self, item_id: int):
        item = self._queue_item(item_id)
        return self.run_decision(
            lambda: claims.claim_item(self.spec.kind, item.id, actor=current_user),
            done=_("You hold this item now."),
            back=self._detail_url(item_id),
        )

    @expose("/<int:item_id>/assign", methods=["POST"])
    def assign(self, item_id: int):
        item = self._queue_item(item_id)
        to_id = request.form.get("staff_id", "")
        to = db.session.get(User, int(to_id)) if to_id.isdigit() else None
        if to is None:
            flash(_("Choose a staff member."), "error")
            return redirect(self._detail_url(item_id))
        return self.run_decision(
            lambda: claims.assign_item(self.spec.kind, item, to=to, role=self.spec.role, actor=current_user),
            done=_("%(name)s holds this item now.", name=to.display_name),
            back=self._detail_url(item_id),
        )

    @expose("/next", methods=["POST"])
    def take_next(self):
        """Leave the item on screen (if given) and take the next one due."""
        leave = request.form.get("leave", "")
        if leave.isdigit():
            claims.release_item(self.spec.kind, int(leave), actor=current_user)
        item = self.next_due_item(int(leave) if leave.isdigit() else None)
        if item is None:
            commit()
            flash(_("Nothing else waits in this queue."), "info")
            return redirect(url_for(".index_view"))
        return self.run_decision(
            lambda: claims.claim_item(self.spec.kind, item.id, actor=current_user),
            done=_("You hold this item now."),
            back=self._detail_url(item.id),
        )
