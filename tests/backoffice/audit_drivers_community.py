"""How the community posts queue's routes of the audit coverage table are driven (see audit_drivers.py)."""

from __future__ import annotations

from community.operations import POST_REJECTION_REASONS
from models.accounts import StaffRole
from tests.backoffice.audit_drivers import Post, _lead, _moderator
from tests.backoffice.factories import make_staff
from tests.community.factories import established_designer, make_post, new_designer


def post_approve(app, client):
    post = make_post(new_designer())
    return Post(_moderator(client), f"/backoffice/reviews/posts/{post.id}/approve")


def post_reject(app, client):
    post = make_post(new_designer())
    return Post(
        _moderator(client),
        f"/backoffice/reviews/posts/{post.id}/reject",
        {"reasons": [next(iter(POST_REJECTION_REASONS))], "note": "Your e-mail is in the picture."},
    )


def post_take_down(app, client):
    post = make_post(established_designer())
    return Post(
        _moderator(client), f"/backoffice/reviews/posts/{post.id}/take-down", {"note": "Reported: a patient's name"}
    )


def post_assign(app, client):
    post = make_post(new_designer())
    return Post(
        _lead(client),
        f"/backoffice/reviews/posts/{post.id}/assign",
        {"staff_id": str(make_staff(StaffRole.moderator).id)},
    )
