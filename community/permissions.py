"""Named rules of the community, checked by the views and again by community.operations."""

from __future__ import annotations

from models.accounts import AccountStatus, User
from models.community import Post, PostState


def is_member(user: User | None) -> bool:
    """A signed-in active account: it may follow, like, comment and report."""
    return bool(user is not None and user.is_authenticated and user.status == AccountStatus.active)


def can_post(user: User | None) -> bool:
    """Designers share their work; clients read, like and comment."""
    return is_member(user) and user.is_designer


def can_follow(user: User | None, designer: User) -> bool:
    """Follow an active designer other than oneself."""
    return (
        is_member(user) and designer.is_designer and designer.status == AccountStatus.active and designer.id != user.id
    )


def is_shown(post: Post) -> bool:
    """Shown to everyone: published, by an account that is active (a suspension hides it)."""
    return post.state == PostState.published and post.author.status == AccountStatus.active


def can_see_post(user: User | None, post: Post) -> bool:
    """Everyone sees a shown post; its author also sees it while it waits for review or was rejected."""
    if is_shown(post):
        return True
    own = user is not None and user.is_authenticated and user.id == post.author_id
    return own and post.state in (PostState.pending, PostState.rejected) and is_member(user)


def can_remove_post(user: User | None, post: Post) -> bool:
    return is_member(user) and user.id == post.author_id and post.state != PostState.removed
