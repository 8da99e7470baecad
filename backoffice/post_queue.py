"""Community posts for moderators: the first posts of new accounts waiting for review, and any post's
page, where a reported post is taken down.

The queue works like the profile and listing queues (moderation.workbench, claims, due times);
the decisions are community.operations, which tell the author and the followers.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Response, abort, request, url_for
from flask_admin import expose
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from backoffice.views import StaffBaseView
from backoffice.workbench_views import WorkbenchRoutes
from community import operations
from extensions import db
from models.accounts import StaffRole
from models.community import Post, PostImage
from moderation import claims, review, workbench

PER_PAGE = 30


def queue_figures() -> list[dict]:
    """The dashboard's line for the queue."""
    size, oldest = db.session.execute(
        sa.select(sa.func.count(), sa.func.min(Post.created_at)).where(Post.state == workbench.POSTS.waiting)
    ).one()
    return [
        {
            "name": _("Community posts to review"),
            "size": size,
            "oldest": oldest,
            "url": url_for("post_reviews.index_view"),
            "roles": PostQueueView.roles,
        }
    ]


class PostQueueView(WorkbenchRoutes, StaffBaseView):
    roles = (StaffRole.moderator,)
    extra_js = ["/static/js/workbench.js"]
    spec = workbench.POSTS

    def __init__(self):
        super().__init__(
            name=_l("Community posts"), endpoint="post_reviews", url="reviews/posts", category=_l("Review")
        )

    def _item(self, item_id: int) -> Post:
        return db.session.get(Post, item_id) or abort(404)

    @expose("/")
    def index_view(self):
        page = self.filtered_page(PER_PAGE)
        return self.render(
            "backoffice/review/posts.html",
            page=page,
            claims=claims.active_claims(self.spec.kind, [i.id for i in page.items]),
            **self.workbench_context(page),
        )

    @expose("/<int:item_id>")
    def detail(self, item_id: int):
        post = self._item(item_id)
        texts = {"body": post.body}
        return self.render(
            "backoffice/review/post.html",
            item=post,
            claim=claims.active_claim(self.spec.kind, post.id),
            texts=texts,
            findings=review.text_findings(texts),
            history=review.owner_history(post.author_id),
            reasons=operations.POST_REJECTION_REASONS,
            **self.item_workbench(post),
        )

    @expose("/image/<token>")
    def image(self, token: str):
        """A picture of a post in any state (a pending one is not public yet)."""
        image = db.session.scalar(sa.select(PostImage).where(PostImage.token == token)) or abort(404)
        response = Response(image.data, mimetype=image.content_type)
        response.headers["Cache-Control"] = "private, no-store"
        return response

    @expose("/<int:item_id>/release", methods=["POST"])
    def release(self, item_id: int):
        return self.run_decision(
            lambda: claims.release_item(self.spec.kind, item_id, actor=current_user),
            done=_("You left this item."),
            back=url_for(".index_view"),
        )

    @expose("/<int:item_id>/approve", methods=["POST"])
    def approve(self, item_id: int):
        post = self._item(item_id)
        return self.run_decision(
            lambda: operations.approve_post(post, actor=current_user),
            done=_("Post published; the designer and their followers are told."),
            back=self.and_next(item_id) or url_for(".index_view"),
            refused=url_for(".detail", item_id=item_id),
        )

    @expose("/<int:item_id>/reject", methods=["POST"])
    def reject(self, item_id: int):
        post = self._item(item_id)
        return self.run_decision(
            lambda: operations.reject_post(
                post, actor=current_user, reasons=request.form.getlist("reasons"), note=request.form.get("note", "")
            ),
            done=_("Post rejected; the designer is told why."),
            back=self.and_next(item_id) or url_for(".index_view"),
            refused=url_for(".detail", item_id=item_id),
        )

    @expose("/<int:item_id>/take-down", methods=["POST"])
    def take_down(self, item_id: int):
        post = self._item(item_id)
        return self.run_decision(
            lambda: operations.take_down_post(post, actor=current_user, note=request.form.get("note", "")),
            done=_("The post is taken down."),
            back=url_for(".detail", item_id=item_id),
        )
