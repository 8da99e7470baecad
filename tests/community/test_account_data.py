"""A member's community traces are in their data export, and closing the account erases them."""

from __future__ import annotations

import io
import json
import zipfile

import sqlalchemy as sa

from accounts.operations import delete_account
from community import operations
from extensions import commit, db
from privacy.exports import export_zip
from models.community import Follow, Post, PostComment, PostImage, PostLike
from tests.catalogue.factories import picture
from tests.community.factories import established_designer, make_post
from tests.factories import PASSWORD, make_user


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_the_export_holds_the_posts_comments_likes_and_follows_and_closing_erases_them():
    designer, other, clinic = established_designer(name="Elena CAD"), established_designer(), make_user()
    mine = make_post(designer, "A bridge on 24-26.", categories=["bridges"], pictures=[picture()])
    theirs = make_post(other, "An implant bar.")
    operations.follow(other, actor=designer)
    operations.follow(designer, actor=clinic)
    operations.add_comment(theirs, actor=designer, body="Clean margins.")
    operations.add_comment(mine, actor=clinic, body="How long did it take?")
    operations.toggle_like(theirs, actor=designer)
    operations.toggle_like(mine, actor=clinic)
    commit()

    archive = zipfile.ZipFile(io.BytesIO(export_zip(designer)))
    community = json.loads(archive.read("community.json"))
    assert [p["text"] for p in community["posts"]] == ["A bridge on 24-26."]
    assert community["posts"][0]["pictures"] == 1
    assert [c["text"] for c in community["comments"]] == ["Clean margins."]
    assert community["liked_posts"] == [theirs.id] and len(community["following"]) == 1

    delete_account(designer, password=PASSWORD)
    commit()
    assert db.session.scalars(sa.select(Post.author_id)).all() == [other.id]
    assert _count(PostImage) == 0 and _count(Follow) == 0 and _count(PostLike) == 0
    assert _count(PostComment) == 0  # the comment on the erased post went with it, and theirs too
