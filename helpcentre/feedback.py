"""Readers' answers to "Was this article helpful?": one vote per reader and article, changeable."""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from errors import NotFound
from extensions import db
from helpcentre.articles import library
from models.accounts import User
from models.help import ArticleFeedback
from models.types import utcnow


def record_vote(
    slug: str, language: str, *, helpful: bool, voter: str, user: User | None, comment: str = ""
) -> ArticleFeedback:
    """Store (or change) this reader's vote on an article. Raises NotFound for an unknown article.

    `voter` is "u<account id>" for a signed-in reader, or a random id kept in a visitor's session:
    voting again changes the vote instead of adding one, so counts cannot be stuffed by repeating.
    """
    if library().get(slug, language) is None:
        raise NotFound(_l("This article does not exist."))
    vote = db.session.scalar(
        sa.select(ArticleFeedback).where(ArticleFeedback.slug == slug, ArticleFeedback.voter == voter).with_for_update()
    )
    if vote is None:
        vote = ArticleFeedback(
            slug=slug,
            voter=voter,
            language=language,
            helpful=helpful,
            user_id=user.id if user else None,
            comment=comment[:500],
        )
        db.session.add(vote)
    else:
        vote.helpful, vote.language, vote.updated_at = helpful, language, utcnow()
        if comment:
            vote.comment = comment[:500]
    db.session.flush()
    return vote


def votes_of(slug: str) -> tuple[int, int]:
    """(helpful, not helpful) votes of an article, all languages together."""
    rows = dict(
        db.session.execute(
            sa.select(ArticleFeedback.helpful, sa.func.count())
            .where(ArticleFeedback.slug == slug)
            .group_by(ArticleFeedback.helpful)
        ).all()
    )
    return rows.get(True, 0), rows.get(False, 0)
