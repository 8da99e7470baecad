"""The disputes list's own cells: a dispute's escalation and its claim checks. Built here rather
than by template macros, as the cells of every queue are (backoffice.queue_cells): a page of
thirty rows asks for each once per row, and a macro call costs several times the string it
makes. Translations are written as the templates write them (trusted); every other text is
escaped. The whitespace is the macros' own, so the page is unchanged."""

from __future__ import annotations

from markupsafe import Markup, escape

from disputes.claim_checks import Finding, Severity
from disputes.escalation import Escalation
from extensions import translate as _  # gettext, through the request's catalogue looked up once
from extensions import translate_plural as ngettext

EMPTY = Markup("\n  \n")


def escalation_cell(escalation: Escalation | None) -> Markup:
    """Why the dispute is escalated and the date of its hard deadline; nothing for any other."""
    if escalation is None:
        return EMPTY
    reasons = escape(" ".join(str(reason) for reason in escalation.reasons))
    deadline = ""
    if escalation.hard_deadline:
        deadline = f"<br><strong>{_('Hard deadline')}: {escalation.hard_deadline.strftime('%Y-%m-%d')}</strong>"
    return Markup(f'\n  \n    <div class="small text-danger" data-escalation>{reasons}\n    {deadline}</div>\n  \n')


def claim_checks_cell(findings: list[Finding] | None) -> Markup:
    """How many checks the record raises, coloured by the most serious, their texts on hover."""
    if not findings:
        return EMPTY
    colour = "warning" if findings[0].severity == Severity.attention else "danger"
    texts = escape(" · ".join(str(finding.text) for finding in findings))
    count = ngettext("%(num)d check", "%(num)d checks", len(findings))
    return Markup(
        f'\n  \n    \n    <span class="badge badge-{colour}" data-claim-checks="{len(findings)}" title="{texts}">'
        f"{count}</span>\n  \n"
    )
