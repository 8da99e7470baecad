"""What the community shows: the feed, a designer's posts, a post's comments, counts and suggestions.

Every list is built on `shown_posts()` / `shown_comments()`, the one definition of what the
public sees (published, by an active account): a suspended account's posts and comments drop
out of every list at once. A page of posts is read with its authors, pictures, like and comment
counts in a fixed number of statements, whatever the number of posts.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased, selectinload

from extensions import db
from models.accounts import AccountStatus, User
from models.community import Follow, Post, PostComment, PostLike, PostState
from models.profiles import DesignerProfile
from pagination import PageNumbers

PER_PAGE = 10
SUGGESTIONS = 6


@dataclass
class PostPage(PageNumbers):
    page: int
    per_page: int
    total: int
    items: list = field(default_factory=list)
    likes: dict = field(default_factory=dict)  # post id → likes
    comments: dict = field(default_factory=dict)  # post id → shown comments
    liked: set = field(default_factory=set)  # ids of the posts the reader likes


def shown_posts():
    """Posts the public sees: published, by an active account."""
    return (
        sa.select(Post)
        .join(User, User.id == Post.author_id)
        .where(Post.state == PostState.published, User.status == AccountStatus.active)
    )


def shown_comments(post_id: int):
    """A post's comments the public sees, oldest first: not removed, by an active account."""
    return (
        sa.select(PostComment)
        .join(User, User.id == PostComment.author_id)
        .where(PostComment.post_id == post_id, PostComment.removed_at.is_(None), User.status == AccountStatus.active)
        .options(selectinload(PostComment.author))
        .order_by(PostComment.created_at, PostComment.id)
    )


def _page(query, *, page: int, reader: User | None) -> PostPage:
    total = db.session.scalar(sa.select(sa.func.count()).select_from(query.with_only_columns(Post.id).subquery()))
    posts = list(
        db.session.scalars(
            query.options(selectinload(Post.author), selectinload(Post.images), selectinload(Post.model_file))
            .order_by(Post.published_at.desc(), Post.id.desc())
            .limit(PER_PAGE)
            .offset((page - 1) * PER_PAGE)
        )
    )
    result = PostPage(page=page, per_page=PER_PAGE, total=total, items=posts)
    counts(result, reader)
    return result


def counts(result: PostPage, reader: User | None) -> None:
    """Likes and comments by active accounts, and the reader's likes, of the posts of `result` (three statements)."""
    ids = [p.id for p in result.items]
    if not ids:
        return
    result.likes = dict(
        db.session.execute(
            sa.select(PostLike.post_id, sa.func.count())
            .join(User, User.id == PostLike.user_id)
            .where(PostLike.post_id.in_(ids), User.status == AccountStatus.active)
            .group_by(PostLike.post_id)
        ).all()
    )
    result.comments = dict(
        db.session.execute(
            sa.select(PostComment.post_id, sa.func.count())
            .join(User, User.id == PostComment.author_id)
            .where(PostComment.post_id.in_(ids), PostComment.removed_at.is_(None), User.status == AccountStatus.active)
            .group_by(PostComment.post_id)
        ).all()
    )
    if reader is not None and reader.is_authenticated:
        result.liked = set(
            db.session.scalars(
                sa.select(PostLike.post_id).where(PostLike.post_id.in_(ids), PostLike.user_id == reader.id)
            )
        )


def followed_ids(user: User):
    return sa.select(Follow.designer_id).where(Follow.follower_id == user.id)


def feed(user: User, page: int = 1) -> PostPage:
    """The shown posts of the designers `user` follows, newest first."""
    return _page(shown_posts().where(Post.author_id.in_(followed_ids(user))), page=page, reader=user)


def posts_of(designer: User, page: int = 1, *, reader: User | None) -> PostPage:
    """A designer's shown posts, newest first (their profile)."""
    return _page(shown_posts().where(Post.author_id == designer.id), page=page, reader=reader)


def own_waiting_posts(user: User) -> list[Post]:
    """The author's posts that only they see: waiting for review or rejected."""
    return list(
        db.session.scalars(
            sa.select(Post)
            .where(Post.author_id == user.id, Post.state.in_([PostState.pending, PostState.rejected]))
            .order_by(Post.created_at.desc())
        )
    )


def follower_count(designer_id: int) -> int:
    """Active accounts following the designer."""
    return db.session.scalar(
        sa.select(sa.func.count())
        .select_from(Follow)
        .join(User, User.id == Follow.follower_id)
        .where(Follow.designer_id == designer_id, User.status == AccountStatus.active)
    )


def is_following(user: User | None, designer_id: int) -> bool:
    if user is None or not user.is_authenticated:
        return False
    return (
        db.session.scalar(sa.select(Follow.id).where(Follow.follower_id == user.id, Follow.designer_id == designer_id))
        is not None
    )


def suggestions(user: User, limit: int = SUGGESTIONS) -> list[User]:
    """Designers to follow: active, with an approved profile, not followed yet, most followed first."""
    follows = aliased(Follow)
    followers = (
        sa.select(sa.func.count(follows.id)).where(follows.designer_id == User.id).correlate(User).scalar_subquery()
    )
    return list(
        db.session.scalars(
            sa.select(User)
            .join(DesignerProfile, DesignerProfile.user_id == User.id)
            .where(
                User.is_designer.is_(True),
                User.status == AccountStatus.active,
                User.id != user.id,
                DesignerProfile.approved_snapshot.is_not(None),
                User.id.not_in(followed_ids(user)),
            )
            .order_by(followers.desc(), User.id)
            .limit(limit)
        )
    )


def has_published(author_id: int) -> bool:
    """The author has had a post published before (approved, or trusted at once)."""
    return (
        db.session.scalar(
            sa.select(Post.id).where(Post.author_id == author_id, Post.published_at.is_not(None)).limit(1)
        )
        is not None
    )


def pending_posts():
    """The review queue: first posts of new accounts, oldest first."""
    return (
        sa.select(Post)
        .where(Post.state == PostState.pending)
        .options(selectinload(Post.author), selectinload(Post.images))
        .order_by(Post.created_at, Post.id)
    )
