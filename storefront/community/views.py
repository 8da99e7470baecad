"""The community: the feed, writing a post, a post's page (likes, comments, share link), follows, reports.

A post the reader may not see is a 404, whatever the reason (pending, rejected, removed, its
author suspended), so nobody learns that it exists.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from community import feed, operations, permissions
from errors import DomainError
from extensions import commit, db, limiter
from files.embedded_text import ContactDetailsInFile
from files.meshes import mesh_format
from files.permissions import serves_stored_files
from models.accounts import User
from models.community import Post, PostComment, PostImage
from screening.contact_filter import ContactDetailsRefused, record_refused_attempt
from storefront.community.forms import CommentForm, PostForm, ReportForm
from storefront.contact_refusal import keep_refused_attempt
from storefront.files import downloads
from storefront.form_errors import show_domain_error
from storefront.next_page import next_page
from url_numbers import page_number

bp = Blueprint("community", __name__)


def _limit(name: str):
    return limiter.limit(lambda: current_app.config[name], methods=["POST"])


def _post(post_id: int) -> Post:
    post = db.session.get(Post, post_id)
    if post is None or not permissions.can_see_post(current_user, post):
        abort(404)
    return post


def _member() -> None:
    if not permissions.is_member(current_user):
        abort(404)


@bp.get("/community")
@login_required
def index():
    page = feed.feed(current_user, request.args.get("page", 1, type=page_number))
    return render_template(
        "community/feed.html",
        page=page,
        suggestions=feed.suggestions(current_user) if not page.items else [],
        waiting=feed.own_waiting_posts(current_user) if permissions.can_post(current_user) else [],
        can_post=permissions.can_post(current_user),
    )


@bp.route("/community/posts/new", methods=["GET", "POST"])
@login_required
@_limit("RATELIMIT_COMMUNITY_POST")
def new_post():
    if not permissions.can_post(current_user):
        abort(404)
    form = PostForm()
    refusal = None
    if form.validate_on_submit():
        pictures = [f.read() for f in form.pictures.data or [] if f and f.filename]
        upload = form.model.data
        model = (
            (upload.filename, iter(lambda: upload.stream.read(1 << 16), b"")) if upload and upload.filename else None
        )
        try:
            post = operations.create_post(
                author=current_user,
                body=form.body.data,
                categories=form.categories.data or [],
                software=form.software.data or [],
                pictures=pictures,
                model=model,
            )
        except ContactDetailsRefused as exc:
            keep_refused_attempt(exc)
            refusal = exc
        except ContactDetailsInFile as exc:
            db.session.rollback()
            record_refused_attempt(exc.refusal)
            commit()
            form.model.errors = [exc.message]
        except DomainError as exc:
            db.session.rollback()
            exc.field = {"file": "model"}.get(exc.field, exc.field)
            show_domain_error(form, exc)
        else:
            commit()
            if post.state.value == "pending":
                flash(_("Your first post is sent to a moderator; it appears once approved."), "success")
            else:
                flash(_("Your post is published."), "success")
            return redirect(url_for("community.show", post_id=post.id))
    return render_template("community/new.html", form=form, refusal=refusal)


@bp.get("/community/posts/<int:post_id>")
def show(post_id: int):
    post = _post(post_id)
    page = feed.PostPage(page=1, per_page=1, total=1, items=[post])
    feed.counts(page, current_user)
    return render_template(
        "community/post.html",
        post=post,
        page=page,
        comments=list(db.session.scalars(feed.shown_comments(post.id))),
        form=CommentForm(),
        share_url=url_for("community.show", post_id=post.id, _external=True),
        member=permissions.is_member(current_user),
    )


@bp.post("/community/posts/<int:post_id>/like")
@login_required
def like(post_id: int):
    post = _post(post_id)
    try:
        liked = operations.toggle_like(post, actor=current_user)
    except DomainError:
        abort(404)
    commit()
    if request.accept_mimetypes.best == "application/json":
        return jsonify(liked=liked)
    return redirect(next_page(url_for("community.show", post_id=post_id)))


@bp.post("/community/posts/<int:post_id>/comments")
@login_required
@_limit("RATELIMIT_COMMUNITY_COMMENT")
def comment(post_id: int):
    post = _post(post_id)
    form = CommentForm()
    if not form.validate_on_submit():
        flash(_("Write a comment of at most %(n)d characters.", n=operations.MAX_COMMENT), "error")
        return redirect(url_for("community.show", post_id=post_id))
    try:
        operations.add_comment(post, actor=current_user, body=form.body.data)
    except ContactDetailsRefused as exc:
        keep_refused_attempt(exc)
        flash(str(exc.message), "error")
        return redirect(url_for("community.show", post_id=post_id))
    except DomainError as exc:
        db.session.rollback()
        flash(exc.message, "error")
        return redirect(url_for("community.show", post_id=post_id))
    commit()
    return redirect(url_for("community.show", post_id=post_id, _anchor="comments"))


@bp.post("/community/comments/<int:comment_id>/remove")
@login_required
def remove_comment(comment_id: int):
    comment = db.session.get(PostComment, comment_id) or abort(404)
    post = _post(comment.post_id)
    try:
        operations.remove_comment(comment, actor=current_user)
    except DomainError:
        abort(404)
    commit()
    flash(_("The comment is removed."), "success")
    return redirect(url_for("community.show", post_id=post.id))


@bp.post("/community/posts/<int:post_id>/remove")
@login_required
def remove_post(post_id: int):
    post = _post(post_id)
    try:
        operations.remove_post(post, actor=current_user)
    except DomainError:
        abort(404)
    commit()
    flash(_("Your post is removed."), "success")
    return redirect(url_for("community.index"))


@bp.route("/community/posts/<int:post_id>/report", methods=["GET", "POST"])
@bp.route("/community/comments/<int:comment_id>/report", methods=["GET", "POST"])
@login_required
@_limit("RATELIMIT_COMMUNITY_COMMENT")
def report(post_id: int | None = None, comment_id: int | None = None):
    _member()
    comment = db.session.get(PostComment, comment_id) if comment_id is not None else None
    if comment_id is not None and (comment is None or comment.removed_at is not None):
        abort(404)
    post = _post(comment.post_id if comment is not None else post_id)
    if (comment.author_id if comment is not None else post.author_id) == current_user.id:
        abort(404)
    form = ReportForm()
    if form.validate_on_submit():
        try:
            if comment is not None:
                operations.report_comment(comment, actor=current_user, reason=form.reason.data, note=form.note.data)
            else:
                operations.report_post(post, actor=current_user, reason=form.reason.data, note=form.note.data)
        except DomainError as exc:
            db.session.rollback()
            show_domain_error(form, exc)
        else:
            commit()
            flash(_("Thank you: a moderator will look at it."), "success")
            return redirect(url_for("community.show", post_id=post.id))
    return render_template("community/report.html", form=form, post=post, comment=comment)


@bp.post("/designers/<int:user_id>/follow")
@login_required
def follow(user_id: int):
    designer = db.session.get(User, user_id)
    if designer is None or not permissions.can_follow(current_user, designer):
        abort(404)
    if request.form.get("follow", "1") == "1":
        operations.follow(designer, actor=current_user)
        message = _("You follow %(name)s: their new posts reach your feed.", name=designer.display_name)
    else:
        operations.unfollow(designer, actor=current_user)
        message = _("You no longer follow %(name)s.", name=designer.display_name)
    commit()
    flash(message, "success")
    return redirect(next_page(url_for("profiles.show", user_id=user_id)))


def _image(token: str) -> PostImage:
    image = db.session.scalar(sa.select(PostImage).where(PostImage.token == token))
    if image is None:
        abort(404)
    _post(image.post_id)
    return image


@bp.get("/community/media/<token>")
def media(token: str):
    return _picture(_image(token), PostImage.data)


@bp.get("/community/media/<token>/thumb")
def media_thumb(token: str):
    return _picture(_image(token), PostImage.thumb)


def _picture(image: PostImage, column) -> Response:
    data = db.session.scalar(sa.select(column).where(PostImage.id == image.id))
    response = Response(data, mimetype=image.content_type)
    # A post can disappear (removed, its author suspended): a shared cache must not keep showing it.
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def _model(post_id: int):
    post = _post(post_id)
    stored = post.model_file
    if stored is None or stored.is_deleted or mesh_format(stored.original_name) is None:
        abort(404)
    return post, stored


@bp.get("/community/posts/<int:post_id>/3d")
def viewer(post_id: int):
    """The post's 3D model in the platform's viewer (static/js/viewer.js): a design, never a patient scan."""
    post, stored = _model(post_id)
    mesh = {
        "id": stored.public_id,
        "name": stored.original_name,
        "url": url_for("community.model", post_id=post.id),
        "download": None,
        "size": stored.size,
        "format": mesh_format(stored.original_name),
        "role": "design",
        "patient": False,
    }
    return render_template(
        "files/viewer.html",
        meshes=[mesh],
        title=post.author.display_name,
        back=url_for("community.show", post_id=post.id),
        patient=False,
        held_back=False,
    )


@bp.get("/community/posts/<int:post_id>/model")
@serves_stored_files
def model(post_id: int):
    """The model's bytes for the viewer, only while its post shows to the reader."""
    _post, stored = _model(post_id)
    return downloads.preview_response(stored)
