"""The community: clients follow designers, designers post their work, people like and comment.

What the public sees is derived at read time (community.visibility): a post shows while it is
published and its author's account is active, so a suspension hides an account's posts and
comments everywhere without touching them, and a reinstatement brings them back.
"""

from __future__ import annotations

import enum
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from extensions import db
from models.accounts import User
from models.files import StoredFile
from models.types import UTCDateTime, enum_column, utcnow


class PostState(enum.Enum):
    pending = "pending"  # a first post of a new account, waiting for a moderator; only its author sees it
    published = "published"  # shown in the feed, on the post page and on the author's profile
    rejected = "rejected"  # refused by a moderator (reason kept); only its author sees it
    removed = "removed"  # deleted by its author or taken down by a moderator after a report


class Follow(db.Model):
    """An account following a designer: the designer's published posts reach its feed."""

    __tablename__ = "follows"

    id: Mapped[int] = mapped_column(primary_key=True)
    follower_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    designer_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (
        sa.UniqueConstraint("follower_id", "designer_id"),
        sa.CheckConstraint("follower_id <> designer_id", name="not_self"),
    )


class Post(db.Model):
    """A designer's post: text, tags (listing categories and software), pictures, one 3D model."""

    __tablename__ = "posts"

    id: Mapped[int] = mapped_column(primary_key=True)
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(sa.Text)
    categories: Mapped[list] = mapped_column(sa.JSON, default=list)  # listings.taxonomy category codes
    software: Mapped[list] = mapped_column(sa.JSON, default=list)  # listings.taxonomy software codes
    # Portfolio work (a design, never a patient scan), stored encrypted like every file.
    model_file_id: Mapped[int | None] = mapped_column(sa.ForeignKey("stored_files.id", ondelete="SET NULL"))
    state: Mapped[PostState] = mapped_column(enum_column(PostState, "post_state"), default=PostState.published)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When it reached the feed (approval time for a reviewed post): the feed's order.
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id", ondelete="SET NULL"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decision_note: Mapped[str | None] = mapped_column(sa.Text)

    author: Mapped[User] = relationship(foreign_keys=[author_id])
    model_file: Mapped[StoredFile | None] = relationship()
    images: Mapped[list["PostImage"]] = relationship(
        back_populates="post", order_by="PostImage.position", cascade="all, delete-orphan"
    )

    __table_args__ = (
        # The feed and the profile: an author's published posts, newest first.
        sa.Index("ix_posts_author_state_published", "author_id", "state", "published_at"),
        # The review queue: pending posts, oldest first.
        sa.Index("ix_posts_state_created", "state", "created_at"),
    )


class PostImage(db.Model):
    """A picture of a post, re-encoded by profiles.images (no EXIF/GPS), served only while its post shows."""

    __tablename__ = "post_images"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"), index=True)
    token: Mapped[str] = mapped_column(sa.String(32), unique=True)
    content_type: Mapped[str] = mapped_column(sa.String(40))
    width: Mapped[int] = mapped_column()
    height: Mapped[int] = mapped_column()
    data: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    thumb: Mapped[bytes] = mapped_column(sa.LargeBinary, deferred=True)
    position: Mapped[int] = mapped_column(default=0)

    post: Mapped[Post] = relationship(back_populates="images")


class PostComment(db.Model):
    """A comment under a post; removed comments keep their row for the moderators' record."""

    __tablename__ = "post_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    author_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    body: Mapped[str] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    author: Mapped[User] = relationship()

    __table_args__ = (sa.Index("ix_post_comments_post_created", "post_id", "created_at"),)


class PostLike(db.Model):
    """One account liking one post (once)."""

    __tablename__ = "post_likes"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(sa.ForeignKey("posts.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (sa.UniqueConstraint("post_id", "user_id"),)
