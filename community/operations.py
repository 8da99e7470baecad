"""State changes of the community: follow, post, comment, like, report, and the moderators' decisions.

Every text goes through the contact filter first (screening.contact_filter.screen_text), and a
3D model through the file store's own checks (files.operations.store_file: what the file is,
a readable mesh, the text inside it). A first post of a new account waits for a moderator
(`needs_review`); any other post is published at once. Followers hear of a post when it is
published, after the commit (community.notices).

    pending → published | rejected     (a moderator's decision)
    published → removed                (its author, or a moderator after a report)
"""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_babel import lazy_gettext as _l

from community import feed, notices, permissions
from errors import DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import db
from files.meshes import mesh_format
from files.operations import store_file
from jobs import enqueue
from listings import taxonomy
from models.accounts import User
from models.community import Follow, Post, PostComment, PostImage, PostLike, PostState
from models.files import FileKind, StoredFile
from models.moderation import ViolationSource
from models.types import utcnow
from moderation import claims
from moderation import permissions as staff
from audit.trail import record_action
from screening.contact_filter import screen_text
from moderation.violations import report_user
from profiles import images as image_rules

POST = "post"  # the review queue's kind (claims, service level)
MAX_BODY = 4000
MAX_COMMENT = 1000
MAX_IMAGES = 6

POST_REJECTION_REASONS = {
    "contact_details": _l("Contact details or an invitation to work outside Occlusa"),
    "patient_data": _l("Patient data (a name, a scan, a photo of a patient)"),
    "promotion": _l("Promotion of other products or services"),
    "not_dental": _l("Not dental design work"),
    "other": _l("Another reason (see the note)"),
}


def follow(designer: User, *, actor: User) -> Follow:
    """`actor` follows `designer` (a second follow is the first one). Raises PermissionDenied."""
    if not permissions.can_follow(actor, designer):
        raise PermissionDenied(_l("You cannot follow this account."))
    mine = sa.select(Follow).where(Follow.follower_id == actor.id, Follow.designer_id == designer.id)
    existing = db.session.scalar(mine)
    if existing is not None:
        return existing
    try:
        with db.session.begin_nested():
            db.session.add(Follow(follower_id=actor.id, designer_id=designer.id))
    except sa.exc.IntegrityError:
        pass  # a double click followed already: followed either way
    return db.session.scalar(mine)


def unfollow(designer: User, *, actor: User) -> None:
    """`actor` stops following `designer` (nothing happens when it did not follow)."""
    db.session.execute(sa.delete(Follow).where(Follow.follower_id == actor.id, Follow.designer_id == designer.id))
    db.session.flush()


def needs_review(author: User) -> bool:
    """A new account (younger than COMMUNITY_NEW_ACCOUNT_DAYS) whose posts were never published yet."""
    young = author.created_at > utcnow() - timedelta(days=current_app.config["COMMUNITY_NEW_ACCOUNT_DAYS"])
    return young and not feed.has_published(author.id)


def _tags(categories: list[str], software: list[str]) -> tuple[list[str], list[str]]:
    known_categories, known_software = dict(taxonomy.category_choices()), dict(taxonomy.software_choices())
    if any(c not in known_categories for c in categories) or any(s not in known_software for s in software):
        raise DomainError(_l("Choose the tags from the lists."), field="categories")
    return sorted(set(categories)), sorted(set(software))


def create_post(
    *,
    author: User,
    body: str,
    categories: list[str] = (),
    software: list[str] = (),
    pictures: list[bytes] = (),
    model: tuple[str, object] | None = None,
) -> Post:
    """Write a post: its text screened, its pictures re-encoded, its 3D model (filename, stream) stored.

    Published at once, or pending when `needs_review(author)`. Raises PermissionDenied (not a
    designer), ContactDetailsRefused (contact details in the text, or in the model's file text),
    DomainError (empty text, bad picture or model, too many pictures); nothing is kept then.
    """
    if not permissions.can_post(author):
        raise PermissionDenied(_l("Only designers share posts."))
    body = (body or "").strip()
    if not body:
        raise DomainError(_l("Write a few words about the work you share."), field="body")
    if len(body) > MAX_BODY:
        raise DomainError(_l("A post has at most %(n)d characters.", n=MAX_BODY), field="body")
    if len(pictures) > MAX_IMAGES:
        raise DomainError(_l("A post has at most %(n)d pictures.", n=MAX_IMAGES), field="pictures")
    categories, software = _tags(list(categories), list(software))
    screen_text({"body": body}, author=author, source=ViolationSource.community, lang=author.locale)
    held = needs_review(author)
    post = Post(
        author_id=author.id,
        body=body,
        categories=categories,
        software=software,
        state=PostState.pending if held else PostState.published,
        published_at=None if held else utcnow(),
    )
    db.session.add(post)
    db.session.flush()
    for position, raw in enumerate(pictures):
        try:
            clean = image_rules.clean_image(raw)
        except DomainError as exc:
            exc.field = "pictures"
            raise
        post.images.append(
            PostImage(
                token=secrets.token_urlsafe(16),
                content_type=clean.content_type,
                width=clean.width,
                height=clean.height,
                data=clean.data,
                thumb=clean.thumb,
                position=position,
            )
        )
    if model is not None:
        post.model_file = _store_model(author, *model)
    db.session.flush()
    record_action("post.created", post, actor=author, after={"state": post.state.value})
    if not held:
        enqueue(notices.tell_followers, post.id)
    return post


def _store_model(author: User, filename: str, stream) -> StoredFile:
    """A 3D model of the designer's work: a design file (STL/PLY/OBJ) checked like every delivery."""
    if mesh_format(filename) is None:
        raise DomainError(_l("The 3D model must be an STL, PLY or OBJ file."), field="model")
    stored = store_file(stream, owner=author, filename=filename, kind=FileKind.design)
    if not stored.mesh or stored.mesh.get("error"):
        raise DomainError(_l("This 3D model could not be read as a mesh."), field="model")
    return stored


def remove_post(post: Post, *, actor: User) -> Post:
    """The author takes a post down (the row stays for the moderators). Raises NotFound."""
    post = _locked(post)
    if not permissions.can_remove_post(actor, post):
        raise NotFound(_l("This post does not exist."))
    before = post.state.value
    post.state = PostState.removed
    db.session.flush()
    record_action("post.removed", post, actor=actor, before={"state": before}, after={"state": "removed"})
    return post


def _locked(post: Post) -> Post:
    locked = db.session.get(Post, post.id, with_for_update=True, populate_existing=True)
    if locked is None:
        raise NotFound(_l("This post does not exist."))
    return locked


def _visible(post: Post, actor: User) -> None:
    if not permissions.is_member(actor) or not permissions.is_shown(post):
        raise NotFound(_l("This post does not exist."))


def add_comment(post: Post, *, actor: User, body: str) -> PostComment:
    """Comment under a shown post. Raises NotFound, DomainError, ContactDetailsRefused."""
    _visible(post, actor)
    body = (body or "").strip()
    if not body or len(body) > MAX_COMMENT:
        raise DomainError(_l("A comment has 1 to %(n)d characters.", n=MAX_COMMENT), field="body")
    screen_text(
        {"body": body}, author=actor, source=ViolationSource.community, source_ref=f"post:{post.id}", lang=actor.locale
    )
    comment = PostComment(post_id=post.id, author_id=actor.id, body=body)
    db.session.add(comment)
    db.session.flush()
    return comment


def remove_comment(comment: PostComment, *, actor: User) -> None:
    """The comment's author, or the post's author, takes a comment down. Raises NotFound."""
    post = db.session.get(Post, comment.post_id)
    if comment.removed_at is not None or actor.id not in (comment.author_id, post.author_id):
        raise NotFound(_l("This comment does not exist."))
    comment.removed_at = utcnow()
    db.session.flush()


def toggle_like(post: Post, *, actor: User) -> bool:
    """Like a shown post, or take the like back; returns whether `actor` likes it now. Raises NotFound."""
    _visible(post, actor)
    existing = db.session.scalar(sa.select(PostLike).where(PostLike.post_id == post.id, PostLike.user_id == actor.id))
    if existing is not None:
        db.session.delete(existing)
        db.session.flush()
        return False
    try:
        with db.session.begin_nested():
            db.session.add(PostLike(post_id=post.id, user_id=actor.id))
    except sa.exc.IntegrityError:
        pass  # a double click liked it already: liked either way
    return True


def report_post(post: Post, *, actor: User, reason: str, note: str = ""):
    """A member reports a shown post: it joins the moderators' violations queue. Raises NotFound, DomainError."""
    _visible(post, actor)
    return report_user(
        post.author, reporter=actor, reason=reason, note=note, text=post.body, source_ref=f"post:{post.id}"
    )


def report_comment(comment: PostComment, *, actor: User, reason: str, note: str = ""):
    """A member reports a shown comment. Raises NotFound, DomainError."""
    post = db.session.get(Post, comment.post_id)
    _visible(post, actor)
    if comment.removed_at is not None or not permissions.is_member(comment.author):
        raise NotFound(_l("This comment does not exist."))
    return report_user(
        comment.author, reporter=actor, reason=reason, note=note, text=comment.body, source_ref=f"comment:{comment.id}"
    )


def _decision_guard(post: Post, actor: User) -> Post:
    staff.require(staff.can_moderate(actor))
    claims.require_claim(POST, post.id, actor=actor)
    post = _locked(post)
    if post.state != PostState.pending:
        raise InvalidTransition(_l("This post is not waiting for review."))
    return post


def approve_post(post: Post, *, actor: User) -> Post:
    """Publish a pending post the moderator holds; its author and followers are told.

    Raises PermissionDenied, InvalidTransition (not pending, held by someone else)."""
    post = _decision_guard(post, actor)
    post.state, post.published_at = PostState.published, utcnow()
    post.decided_by_id, post.decided_at = actor.id, utcnow()
    db.session.flush()
    record_action("post.approved", post, actor=actor, before={"state": "pending"}, after={"state": "published"})
    claims.release_item(POST, post.id)
    notices.tell_author(post, approved=True)
    enqueue(notices.tell_followers, post.id)
    return post


def reject_post(post: Post, *, actor: User, reasons: list[str], note: str = "") -> Post:
    """Refuse a pending post with reasons (POST_REJECTION_REASONS); its author is told.

    Raises like approve_post, and DomainError without a known reason."""
    if not reasons or any(r not in POST_REJECTION_REASONS for r in reasons):
        raise DomainError(_l("Choose at least one reason."), field="reasons")
    post = _decision_guard(post, actor)
    post.state = PostState.rejected
    post.decided_by_id, post.decided_at = actor.id, utcnow()
    words = "; ".join(str(POST_REJECTION_REASONS[r]) for r in reasons)
    post.decision_note = f"{words}. {note.strip()}".strip()
    db.session.flush()
    record_action(
        "post.rejected",
        post,
        actor=actor,
        before={"state": "pending"},
        after={"state": "rejected", "reasons": list(reasons)},
        reason=note.strip() or None,
    )
    claims.release_item(POST, post.id)
    notices.tell_author(post, approved=False)
    return post


def take_down_post(post: Post, *, actor: User, note: str) -> Post:
    """A moderator removes a published post (after a report). Raises PermissionDenied, InvalidTransition."""
    staff.require(staff.can_moderate(actor))
    post = _locked(post)
    if post.state != PostState.published:
        raise InvalidTransition(_l("Only a published post can be taken down."))
    post.state, post.decided_by_id, post.decided_at = PostState.removed, actor.id, utcnow()
    post.decision_note = note.strip() or None
    db.session.flush()
    record_action(
        "post.taken_down", post, actor=actor, before={"state": "published"}, after={"state": "removed"}, reason=note
    )
    return post
