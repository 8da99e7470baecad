"""The help centre: sections, articles, search and "Was this helpful?"."""

from __future__ import annotations

import secrets

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from extensions import commit, limiter
from helpcentre.articles import library
from helpcentre.feedback import record_vote
from storefront.help.forms import VoteForm

bp = Blueprint("help", __name__, url_prefix="/help")


def _language() -> str:
    return str(get_locale() or "en")


@bp.get("")
def index():
    lib, language = library(), _language()
    sections = [(section, lib.in_section(section.id, language)) for section in lib.sections]
    return render_template("help/index.html", sections=sections, language=language)


@bp.get("/search")
def search():
    query = request.args.get("q", "").strip()[:200]
    results = library().search(query, _language()) if query else []
    return render_template("help/search.html", query=query, results=results, language=_language())


@bp.get("/sections/<section_id>")
def section(section_id: str):
    lib, language = library(), _language()
    found = lib.section(section_id)
    if found is None:
        abort(404)
    return render_template(
        "help/section.html", section=found, articles=lib.in_section(found.id, language), language=language
    )


@bp.get("/articles/<slug>")
def article(slug: str):
    lib, language = library(), _language()
    found = lib.get(slug, language)
    if found is None:
        abort(404)
    return render_template(
        "help/article.html",
        article=found,
        section=lib.section(found.section),
        related=lib.related(found),
        form=VoteForm(),
        voted=session.get("help_voted", {}).get(slug),
        language=language,
    )


def _voter() -> str:
    if current_user.is_authenticated:
        return f"u{current_user.id}"
    if "help_voter" not in session:
        session["help_voter"] = "s" + secrets.token_hex(16)
    return session["help_voter"]


@bp.post("/articles/<slug>/vote")
@limiter.limit(lambda: current_app.config["RATELIMIT_HELP_VOTE"])
def vote(slug: str):
    form = VoteForm()
    if not form.validate_on_submit():
        flash(_("Choose Yes or No."), "error")
        return redirect(url_for("help.article", slug=slug, _anchor="feedback"))
    helpful = form.helpful.data == "yes"
    record_vote(
        slug,
        _language(),
        helpful=helpful,
        voter=_voter(),
        user=current_user if current_user.is_authenticated else None,
        comment=form.comment.data or "",
    )
    commit()
    session["help_voted"] = {**session.get("help_voted", {}), slug: "yes" if helpful else "no"}
    flash(_("Thank you: your answer helps us improve this article."), "success")
    return redirect(url_for("help.article", slug=slug, _anchor="feedback"))
