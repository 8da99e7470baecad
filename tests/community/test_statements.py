"""The feed, a post and a designer's profile cost a fixed number of statements whatever the posts,
pictures, likes and comments."""

from __future__ import annotations

from community import operations
from extensions import commit, db
from models.community import Follow
from tests.catalogue.factories import picture
from tests.community.factories import established_designer, make_post
from tests.factories import login, make_user
from tests.statements import statements


def _busy(designers, clinic, posts_each: int) -> list:
    made = []
    for designer in designers:
        for n in range(posts_each):
            post = make_post(designer, f"Crown number {n} in zirconia.", pictures=[picture(), picture()])
            operations.toggle_like(post, actor=clinic)
            operations.add_comment(post, actor=clinic, body="Nice contacts.")
            made.append(post)
    commit()
    return made


def test_the_feed_post_and_profile_cost_the_same_with_more_posts(client):
    designers = [established_designer(), established_designer()]
    clinic = make_user()
    for designer in designers:
        db.session.add(Follow(follower_id=clinic.id, designer_id=designer.id))
    commit()
    first = _busy(designers, clinic, 1)
    login(client, clinic)
    urls = ("/community", f"/community/posts/{first[0].id}", f"/designers/{designers[0].id}")
    few = [statements(client, url) for url in urls]

    _busy(designers + [established_designer()], clinic, 3)
    operations.add_comment(first[0], actor=make_user(), body="Which cement?")
    commit()
    assert [statements(client, url) for url in urls] == few
