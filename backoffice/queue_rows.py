"""The rows of the queue pages (profiles, listings, community posts, identity verifications,
violations, support tickets), each built here once as one string: a page of thirty rows made by
the template costs some six function calls and a dozen lookups per row through Jinja, most of a
queue page's rendering. Words are translated once per page and written as the templates write
them (trusted); every other text is escaped; each row's link comes from one url_for per page
(queue_cells.item_links). The whitespace is the templates' own, so the pages are unchanged."""

from __future__ import annotations

from flask import current_app
from jinja2.filters import do_truncate
from markupsafe import Markup, escape

from backoffice.queue_cells import claim_cell, due_cell, item_links, when_cell
from extensions import translate as _  # gettext, through the request's catalogue looked up once
from models.moderation import ViolationStatus
from models.profiles import ReviewState
from moderation.service_levels import duration_words

NO_DUE = "<td>—</td><td>—</td>"


def _truncate(text: str, length: int) -> Markup:
    """Jinja's `truncate` filter, as the templates applied it."""
    return escape(do_truncate(current_app.jinja_env, text, length))


def _age_and_due(item_id: int, dues: dict, waiting: bool, between: str) -> str:
    """The age and due cells of a row: the due badge while the item waits, "—" for both without a due time."""
    due = dues.get(item_id)
    if due is None:
        return NO_DUE
    badge = due_cell(due) if waiting else "—"
    return f'<td class="text-nowrap">{escape(duration_words(due.age))}</td>{between}<td>{badge}</td>'


def review_rows(
    items, kind: str, dues: dict, claims: dict, refusals: dict, refusal_labels: dict, reader_id: int
) -> Markup:
    """The profile and listing queues' rows: a pick box for the small edits bulk approval takes."""
    links = item_links(".detail", "item_id", items)
    pick_label, update_word = Markup(_("Select for bulk approval")), Markup(_("update"))
    new_word, small_edit = Markup(_("new")), Markup(_("Small edit: can be approved in bulk"))
    rows = []
    for item in items:
        owner = item.user if kind == "profile" else item.designer
        refusal = refusals[item.id]
        pick = (
            ""
            if refusal
            else f'<input type="checkbox" name="ids" value="{item.id}" id="pick-{item.id}" aria-label="{pick_label}">'
        )
        name = escape((item.real_name or owner.display_name) if kind == "profile" else item.title)
        review = update_word if item.approved_snapshot else f'<span class="badge badge-primary">{new_word}</span>'
        bulk = (
            f'<small class="text-muted">{refusal_labels[refusal]}</small>'
            if refusal
            else f'<small class="text-success">{small_edit}</small>'
        )
        age_and_due = _age_and_due(item.id, dues, item.state == ReviewState.pending, "\n        ")
        rows.append(
            f"\n      \n      <tr>\n        <td>{pick}</td>\n"
            f'        <td><a href="{escape(links[item.id])}">{name}</a></td>\n'
            f"        <td>{escape(owner.display_name)}</td>\n"
            f"        <td>{when_cell(item.submitted_at)}</td>\n"
            f"        {age_and_due}\n"
            f"        <td>{review}\n          <br>{bulk}</td>\n"
            f"        <td>{claim_cell(claims.get(item.id), reader_id)}</td>\n      </tr>\n    "
        )
    return Markup("".join(rows))


def post_rows(items, dues: dict, claims: dict, reader_id: int) -> Markup:
    """The community posts' rows: the post's start and how many pictures it has."""
    links = item_links(".detail", "item_id", items)
    rows = []
    for item in items:
        pictures = (
            f' <span class="badge badge-secondary">{_("%(n)d picture(s)", n=len(item.images))}</span>'
            if item.images
            else ""
        )
        age_and_due = _age_and_due(item.id, dues, item.state.value == "pending", "\n      ")
        rows.append(
            f'\n    <tr>\n      <td><a href="{escape(links[item.id])}">{_truncate(item.body, 80)}</a>{pictures}</td>\n'
            f"      <td>{escape(item.author.display_name)}</td>\n"
            f"      <td>{when_cell(item.created_at)}</td>\n"
            f"      {age_and_due}\n"
            f"      <td>{claim_cell(claims.get(item.id), reader_id)}</td>\n    </tr>\n  "
        )
    return Markup("".join(rows))


def verification_rows(items, decided: bool, dues: dict, claims: dict, reader_id: int) -> Markup:
    """The identity verifications' rows; the age and due cells on the waiting tab only."""
    links = item_links(".detail", "submission_id", items)
    company = Markup(_("company"))
    rows = []
    for s in items:
        age_and_due = (
            ""
            if decided
            else f'<td class="text-nowrap">{escape(duration_words(dues[s.id].age))}</td><td>{due_cell(dues[s.id])}</td>'
        )
        verifier = escape(s.verifier.display_name) if s.verifier else "—"
        rows.append(
            f'\n    <tr>\n      <td><a href="{escape(links[s.id])}">{escape(s.designer.display_name)}</a></td>\n'
            f"      <td>{escape(s.nationality)}{f' · {company}' if s.as_company else ''}</td>\n"
            f"      <td>{escape(', '.join(map(str, s.document_types)))}</td>\n"
            f"      <td>{when_cell(s.submitted_at)}</td>\n"
            f"      {age_and_due}\n"
            f"      <td>{escape(s.status.value)} {claim_cell(claims.get(s.id), reader_id)}</td>\n"
            f"      <td>{verifier}</td>\n    </tr>"
        )
    return Markup("".join(rows))


def violation_rows(
    items,
    folded,
    groups: dict,
    dues: dict,
    claims: dict,
    strikes: dict,
    source_words: dict,
    report_reasons: dict,
    reader_id: int,
) -> Markup:
    """The violations' rows, one per group of attempts (the folded ones are counted on their group's row)."""
    links = item_links(".detail", "violation_id", items)
    rows = []
    for v in items:
        if v.id in folded:
            continue
        due = dues[v.id]
        badge = due_cell(due) if v.status == ViolationStatus.open else "—"
        reason = f" ({escape(report_reasons.get(v.report_reason, v.report_reason))})" if v.report_reason else ""
        attempts = len(groups[v.id])
        attempts = (
            f'<span class="badge badge-secondary">{_("%(n)d attempts", n=attempts)}</span> ' if attempts > 1 else ""
        )
        rows.append(
            f'\n    <tr>\n      <td class="text-nowrap"><a href="{escape(links[v.id])}">{when_cell(v.created_at)}</a></td>\n'
            f'      <td class="text-nowrap">{escape(duration_words(due.age))}</td>\n'
            f"      <td>{badge}</td>\n"
            f"      <td>{escape(v.user.display_name)}</td>\n"
            f"      <td>{source_words[v.source]}{reason}</td>\n"
            f'      <td class="bo-excerpt">{attempts}{_truncate(v.text, 120)}</td>\n'
            f"      <td>{escape(strikes.get(v.user_id, 0))}</td>\n"
            f"      <td>{claim_cell(claims.get(v.id), reader_id)}</td>\n    </tr>"
        )
    return Markup("".join(rows))


def ticket_rows(items, dues: dict, claims: dict, requesters: dict, topics: dict, reader_id: int) -> Markup:
    """The support desk's rows: the requester's account, or the address's name without one."""
    links = item_links(".detail", "ticket_id", items)
    no_account = Markup(_("no account"))
    rows = []
    for t in items:
        status = t.status.value
        due = due_cell(dues[t.id]) if status == "open" and t.id in dues else escape(status)
        requester = requesters.get(t.user_id)
        if requester:
            who = f"{escape(requester.display_name)} · {escape(requester.status.value)}"
        else:
            who = f'{escape(t.email.partition("@")[0])} · <span class="text-muted">{no_account}</span>'
        rows.append(
            f'\n    <tr>\n      <td class="text-nowrap"><a href="{escape(links[t.id])}">'
            f"{when_cell(t.waiting_since or t.created_at)}</a></td>\n"
            f"      <td>{due}</td>\n      \n"
            f"      <td>{who}</td>\n"
            f"      <td>{topics[t.topic.value]}</td>\n"
            f'      <td class="bo-excerpt">{_truncate(t.subject, 90)}</td>\n'
            f"      <td>{claim_cell(claims.get(t.id), reader_id)}</td>\n    </tr>"
        )
    return Markup("".join(rows))
