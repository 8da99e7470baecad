"""Moderation of the community: the contact filter, the first-post review, reports, suspension,
and who hears of a new post."""

from __future__ import annotations

import io

import sqlalchemy as sa

from community import operations
from community.notices import tell_followers
from extensions import commit, db
from models.accounts import StaffRole
from models.community import Follow, Post, PostState
from models.messaging import Notification, NotificationChannel, NotificationPreference
from models.moderation import Violation, ViolationSource
from moderation.suspension import reinstate_account, suspend_account
from tests.backoffice.factories import make_staff, staff_login
from tests.catalogue.factories import picture
from tests.community.factories import established_designer, make_post, new_designer
from tests.factories import login, make_user

CONTACT = "Write to me directly at elena.cad@gmail.com for a better price."
MESH = (
    b"solid crown\nfacet normal 0 0 1\n outer loop\n  vertex 0 0 0\n  vertex 1 0 0\n  vertex 0 1 0\n"
    b" endloop\nendfacet\nendsolid crown\n"
)


def signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def posts() -> list[Post]:
    return list(db.session.scalars(sa.select(Post)))


def violations(source: ViolationSource) -> list[Violation]:
    return list(db.session.scalars(sa.select(Violation).where(Violation.source == source)))


def follows(follower, designer) -> None:
    db.session.add(Follow(follower_id=follower.id, designer_id=designer.id))
    commit()


def told(user, event: str = "community_post") -> list[Notification]:
    return list(
        db.session.scalars(sa.select(Notification).where(Notification.user_id == user.id, Notification.event == event))
    )


def test_a_post_with_contact_details_is_refused_shown_underlined_and_kept_for_moderators(client):
    designer = established_designer()
    login(client, designer)
    page = client.post("/community/posts/new", data={"body": CONTACT}).get_data(as_text=True)
    assert "contact-finding" in page and "elena.cad@gmail.com" in page
    assert posts() == []
    [violation] = violations(ViolationSource.community)
    assert violation.user_id == designer.id and "elena.cad@gmail.com" in violation.text


def test_a_comment_with_contact_details_is_refused(app):
    post = make_post(established_designer())
    clinic = make_user()
    page = signed_in(app, clinic).post(
        f"/community/posts/{post.id}/comments", data={"body": "Call me on +33 6 12 34 56 78"}, follow_redirects=True
    )
    assert "Sharing contact details" in page.get_data(as_text=True)
    [violation] = violations(ViolationSource.community)
    assert violation.user_id == clinic.id and violation.source_ref == f"post:{post.id}"
    assert "12 34 56 78" not in signed_in(app, make_user()).get(f"/community/posts/{post.id}").get_data(as_text=True)


def test_a_3d_model_with_contact_details_in_its_header_is_refused(client):
    designer = established_designer()
    login(client, designer)
    stl = b"solid call me on whatsapp +33 6 12 34 56 78\n" + MESH.split(b"\n", 1)[1]
    page = client.post(
        "/community/posts/new",
        data={"body": "An implant crown.", "model": (io.BytesIO(stl), "crown.stl")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert "contact details" in page
    assert posts() == []
    assert [v.user_id for v in violations(ViolationSource.file)] == [designer.id]


def test_a_3d_model_opens_in_the_viewer_for_whoever_sees_the_post(client, app):
    designer = established_designer()
    login(client, designer)
    response = client.post(
        "/community/posts/new",
        data={"body": "A screw-retained implant crown.", "model": (io.BytesIO(MESH), "crown.stl")},
        content_type="multipart/form-data",
    )
    post_url = response.headers["Location"]
    [post] = posts()
    assert post.model_file.kind.value == "design"
    visitor = app.test_client()
    viewer = visitor.get(post_url + "/3d").get_data(as_text=True)
    assert "data-viewer" in viewer and f"/community/posts/{post.id}/model" in viewer
    assert visitor.get(post_url + "/model").data == MESH

    operations.remove_post(post, actor=designer)
    commit()
    assert visitor.get(post_url + "/model").status_code == 404


def test_the_first_post_of_a_new_account_waits_for_a_moderator_who_publishes_it(app):
    designer, clinic = new_designer(name="Nora New"), make_user()
    follows(clinic, designer)
    post = make_post(designer, pictures=[picture()])
    assert post.state == PostState.pending
    assert "Nora New" not in signed_in(app, clinic).get("/community").get_data(as_text=True)
    assert told(clinic) == []

    moderator = make_staff(StaffRole.moderator)
    staff = app.test_client()
    staff_login(staff, moderator)
    assert "A full-arch zirconia bridge" in staff.get("/backoffice/reviews/posts/").get_data(as_text=True)
    assert "Community posts to review" in staff.get("/backoffice/").get_data(as_text=True)
    staff.post(f"/backoffice/reviews/posts/{post.id}/take")
    assert staff.post(f"/backoffice/reviews/posts/{post.id}/approve").status_code == 302

    db.session.refresh(post)
    assert post.state == PostState.published
    assert "Nora New" in signed_in(app, clinic).get("/community").get_data(as_text=True)
    assert [n.url for n in told(clinic)] == [f"/community/posts/{post.id}"]
    assert len(told(designer, "community_post_reviewed")) == 1
    # One post published: the account's next posts go out at once.
    assert make_post(designer, "A second bridge.").state == PostState.published


def test_a_rejected_first_post_stays_private_and_its_author_reads_why(app):
    designer = new_designer()
    post = make_post(designer)
    staff = app.test_client()
    staff_login(staff, make_staff(StaffRole.moderator))
    staff.post(f"/backoffice/reviews/posts/{post.id}/take")
    staff.post(f"/backoffice/reviews/posts/{post.id}/reject", data={"reasons": ["patient_data"], "note": "A name."})
    db.session.refresh(post)
    assert post.state == PostState.rejected
    assert signed_in(app, make_user()).get(f"/community/posts/{post.id}").status_code == 404
    page = signed_in(app, designer).get(f"/community/posts/{post.id}").get_data(as_text=True)
    assert "Patient data" in page and "A name." in page
    assert make_post(designer, "Another try.").state == PostState.pending


def test_reports_of_a_post_and_of_a_comment_reach_the_violations_queue(app):
    designer, clinic, reporter = established_designer(), make_user(name="Chatty Lab"), make_user()
    post = make_post(designer, "Cheap crowns, see my other website for deals.")
    comment = operations.add_comment(post, actor=clinic, body="You are all thieves.")
    commit()
    reader = signed_in(app, reporter)
    assert reader.post(f"/community/posts/{post.id}/report", data={"reason": "spam"}).status_code == 302
    assert reader.post(f"/community/comments/{comment.id}/report", data={"reason": "abuse"}).status_code == 302
    reports = {v.source_ref: v for v in violations(ViolationSource.report)}
    assert reports[f"post:{post.id}"].user_id == designer.id and "other website" in reports[f"post:{post.id}"].text
    assert reports[f"comment:{comment.id}"].user_id == clinic.id
    # nobody reports their own words
    assert signed_in(app, designer).get(f"/community/posts/{post.id}/report").status_code == 404

    staff = app.test_client()
    staff_login(staff, make_staff(StaffRole.moderator))
    queue = staff.get("/backoffice/violations/").get_data(as_text=True)
    assert "Chatty Lab" in queue
    detail = staff.get(f"/backoffice/violations/{reports[f'post:{post.id}'].id}").get_data(as_text=True)
    assert f"/backoffice/reviews/posts/{post.id}" in detail
    staff.post(f"/backoffice/reviews/posts/{post.id}/take-down", data={"note": "Promotion"})
    assert reader.get(f"/community/posts/{post.id}").status_code == 404


def test_a_suspended_accounts_posts_comments_and_likes_disappear_everywhere_until_reinstated(app):
    designer, commenter, clinic = established_designer(name="Elena CAD"), make_user(name="Rude Lab"), make_user()
    follows(clinic, designer)
    post = make_post(designer, "Layered zirconia bridge.", pictures=[picture()])
    other = make_post(established_designer(), "An occlusal splint.")
    operations.add_comment(other, actor=commenter, body="Ugly work.")
    operations.toggle_like(other, actor=commenter)
    commit()
    token = post.images[0].token
    moderator = make_staff(StaffRole.moderator)

    suspend_account(designer, actor=moderator, reason="Off-platform payments")
    suspend_account(commenter, actor=moderator, reason="Abuse")
    commit()

    reader = signed_in(app, clinic)
    assert "Layered zirconia bridge" not in reader.get("/community").get_data(as_text=True)
    assert reader.get(f"/community/posts/{post.id}").status_code == 404
    assert reader.get(f"/community/media/{token}").status_code == 404
    page = reader.get(f"/community/posts/{other.id}").get_data(as_text=True)
    assert "Ugly work." not in page and "0 comments" in page and "0 likes" in page
    assert reader.post(f"/designers/{designer.id}/follow").status_code == 404

    reinstate_account(designer, actor=moderator, reason="Appeal upheld", mail=False)
    commit()
    assert "Layered zirconia bridge" in reader.get("/community").get_data(as_text=True)


def test_followers_hear_of_a_new_post_as_their_notification_settings_say(app):
    designer, keen, quiet = established_designer(name="Elena CAD"), make_user(), make_user()
    follows(keen, designer)
    follows(quiet, designer)
    for channel in NotificationChannel:
        db.session.add(NotificationPreference(user_id=quiet.id, event="community_post", channel=channel, enabled=False))
    commit()

    post = make_post(designer)

    [note] = told(keen)
    assert note.in_app and note.email_wanted and "Elena CAD" in note.title
    [silent] = told(quiet)
    assert not silent.in_app and not silent.email_wanted
    assert "community_post" in signed_in(app, keen).get("/settings/notifications").get_data(as_text=True)
    # the job is idempotent: run again, nobody is told twice
    assert tell_followers(post.id) == 0
