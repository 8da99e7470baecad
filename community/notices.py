"""Who hears of a post: its followers when it is published, its author when a moderator decides.

`tell_followers` is a job (it may reach many accounts): it reloads the post, re-checks that it
still shows, and notifies each active follower once, through messaging.notify, which applies
each follower's Settings > Notifications choices for the event "community_post".
"""

from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from community import permissions
from extensions import commit, db
from jobs.runtime import job
from messaging.notify import notify
from models.accounts import AccountStatus, User
from models.community import Follow, Post
from models.messaging import Notification

POST_PATH = "/community/posts/{id}"


def post_url(post: Post) -> str:
    return POST_PATH.format(id=post.id)


@job
def tell_followers(post_id: int) -> int:
    """Notify the followers of a published post's author (idempotent: a follower already told is
    skipped). Returns how many were told."""
    post = db.session.get(Post, post_id)
    if post is None or not permissions.is_shown(post):
        return 0
    url = post_url(post)
    told = set(
        db.session.scalars(
            sa.select(Notification.user_id).where(Notification.event == "community_post", Notification.url == url)
        )
    )
    followers = db.session.scalars(
        sa.select(User)
        .join(Follow, Follow.follower_id == User.id)
        .where(Follow.designer_id == post.author_id, User.status == AccountStatus.active)
        .order_by(User.id)
    )
    count = 0
    for follower in followers:
        if follower.id in told:
            continue
        notify(
            follower,
            "community_post",
            title=_l("New post by %(name)s", name=post.author.display_name),
            body=post.body[:200],
            url=url,
        )
        count += 1
    commit()
    return count


def tell_author(post: Post, *, approved: bool) -> None:
    """The moderator's decision on a post, in the author's notifications (in the caller's unit of work)."""
    notify(
        post.author,
        "community_post_reviewed",
        title=_l("Your post is published") if approved else _l("Your post was not published"),
        body=_l("Your followers can see it now.") if approved else (post.decision_note or ""),
        url=post_url(post),
    )
