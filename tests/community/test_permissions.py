"""Who may follow, post, like, comment and see what: private things are 404 to everyone else."""

from __future__ import annotations

import io
import re

from community import operations
import sqlalchemy as sa

from extensions import commit, db
from models.community import Follow, PostLike, PostState
from tests.catalogue.factories import picture


from tests.community.factories import established_designer, make_post, new_designer
from tests.factories import PASSWORD, login, make_user


def signed_in(app, user):
    client = app.test_client()
    login(client, user)
    return client


def count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_client_follows_a_designer_and_finds_the_designers_posts_in_the_feed(client):
    designer, other = established_designer(name="Elena CAD"), established_designer(name="Karim Bars")
    make_post(designer, "Six anterior veneers in lithium disilicate, smile design first.")
    make_post(other, "An implant bar with passive fit on four implants.")
    clinic = make_user(name="Smile Clinic")
    login(client, clinic)

    page = client.get("/community").get_data(as_text=True)
    assert "Your feed is empty" in page and "Elena CAD" in page  # suggested, not followed yet

    assert client.post(f"/designers/{designer.id}/follow", data={"follow": "1"}).status_code == 302
    page = client.get("/community").get_data(as_text=True)
    assert "Six anterior veneers" in page and "implant bar" not in page

    profile = client.get(f"/designers/{designer.id}").get_data(as_text=True)
    assert "1 follower" in profile and "Following ✓" in profile and "Six anterior veneers" in profile

    client.post(f"/designers/{designer.id}/follow", data={"follow": "0"})
    assert "Six anterior veneers" not in client.get("/community").get_data(as_text=True)
    assert "0 followers" in client.get(f"/designers/{designer.id}").get_data(as_text=True)


def test_following_oneself_or_a_client_is_refused(client):
    designer, clinic = established_designer(), make_user()
    login(client, designer)
    assert client.post(f"/designers/{designer.id}/follow").status_code == 404
    assert client.post(f"/designers/{clinic.id}/follow").status_code == 404
    assert count(Follow) == 0


def test_only_designers_post(client):
    login(client, make_user())
    assert client.get("/community/posts/new").status_code == 404
    assert client.post("/community/posts/new", data={"body": "Hello"}).status_code == 404


def test_a_designer_posts_pictures_and_tags_and_anyone_opens_the_shared_link(client, app):
    designer = established_designer(name="Elena CAD")
    login(client, designer)
    response = client.post(
        "/community/posts/new",
        data={
            "body": "Monolithic zirconia crown on 36, cusp-fossa occlusion.",
            "categories": ["crowns"],
            "software": ["exocad"],
            "pictures": [(io.BytesIO(picture()), "crown.png")],
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 302
    url = response.headers["Location"]
    page = client.get(url).get_data(as_text=True)
    assert "Your post is published." in page and "exocad" in page
    share = re.search(r'id="share-link"[^>]*value="([^"]+)"', page).group(1)
    assert share.startswith("http") and share.endswith(url)
    thumb = re.search(r'src="(/community/media/[^"]+/thumb)"', page).group(1)

    visitor = app.test_client()
    assert "Monolithic zirconia crown" in visitor.get(url).get_data(as_text=True)
    assert visitor.get(thumb).status_code == 200
    assert visitor.post(url + "/like").status_code == 302  # to the login page
    assert count(PostLike) == 0


def test_likes_toggle_and_comments_show_under_the_post(client):
    post = make_post(established_designer())
    clinic = make_user(name="Northside Lab")
    login(client, clinic)
    assert client.post(f"/community/posts/{post.id}/like", headers={"Accept": "application/json"}).json == {
        "liked": True
    }
    assert "1 like" in client.get(f"/community/posts/{post.id}").get_data(as_text=True)
    assert client.post(f"/community/posts/{post.id}/like", headers={"Accept": "application/json"}).json == {
        "liked": False
    }
    client.post(f"/community/posts/{post.id}/comments", data={"body": "Beautiful margins."})
    page = client.get(f"/community/posts/{post.id}").get_data(as_text=True)
    assert "Beautiful margins." in page and "Northside Lab" in page and "0 likes" in page


def test_a_post_waiting_for_review_is_404_to_everyone_but_its_author(client, app):
    designer = new_designer()
    post = make_post(designer, pictures=[picture()])
    assert post.state == PostState.pending
    token = post.images[0].token
    for reader in (None, make_user()):
        other = app.test_client()
        if reader is not None:
            login(other, reader)
        assert other.get(f"/community/posts/{post.id}").status_code == 404
        assert other.get(f"/community/media/{token}").status_code == 404
        assert other.post(f"/community/posts/{post.id}/like").status_code in (302, 404)
        assert other.get(f"/community/posts/{post.id}/report").status_code in (302, 404)
    login(client, designer)
    page = client.get(f"/community/posts/{post.id}").get_data(as_text=True)
    assert "Waiting for a moderator" in page
    assert client.get(f"/community/media/{token}").status_code == 200
    assert count(PostLike) == 0


def test_removing_is_for_the_author_only(app):
    designer = established_designer()
    post = make_post(designer)
    assert signed_in(app, make_user()).post(f"/community/posts/{post.id}/remove").status_code == 404
    author = signed_in(app, designer)
    assert author.post(f"/community/posts/{post.id}/remove").status_code == 302
    assert author.get(f"/community/posts/{post.id}").status_code == 404


def test_a_comment_is_removed_by_its_author_or_the_posts_author_only(app):
    designer, clinic, stranger = established_designer(), make_user(), make_user()
    post = make_post(designer)
    comment = operations.add_comment(post, actor=clinic, body="Which cement?")
    commit()
    assert signed_in(app, stranger).post(f"/community/comments/{comment.id}/remove").status_code == 404
    author = signed_in(app, designer)
    assert author.post(f"/community/comments/{comment.id}/remove").status_code == 302
    assert "Which cement?" not in author.get(f"/community/posts/{post.id}").get_data(as_text=True)


def test_community_forms_need_their_csrf_token(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    designer = established_designer()
    post = make_post(designer)
    client = app.test_client()
    page = client.get("/account/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    reader = make_user()
    client.post("/account/login", data={"email": reader.email, "password": PASSWORD, "csrf_token": token})
    assert "/account/login" not in client.get("/community").headers.get("Location", "")
    urls = (
        f"/community/posts/{post.id}/like",
        f"/community/posts/{post.id}/comments",
        f"/designers/{designer.id}/follow",
    )
    for url in urls:
        assert client.post(url, data={"body": "x"}).status_code == 400
    assert count(PostLike) == 0 and count(Follow) == 0


def test_posting_and_commenting_are_rate_limited_per_address(make_app):
    limited = make_app(RATELIMIT_COMMUNITY_POST="2 per minute", RATELIMIT_COMMUNITY_COMMENT="2 per minute")
    designer = established_designer()
    post = make_post(designer)
    client = limited.test_client()
    login(client, designer)
    posts = [client.post("/community/posts/new", data={"body": f"Crown {n}"}).status_code for n in range(3)]
    comments = [
        client.post(f"/community/posts/{post.id}/comments", data={"body": f"Note {n}"}).status_code for n in range(3)
    ]
    assert posts == [302, 302, 429] and comments == [302, 302, 429]
