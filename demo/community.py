"""Demo community: the clinic and the lab follow designers, whose posts (pictures, a 3D crown) fill
their feed; a new designer's first post waits in the back office's review queue."""

from __future__ import annotations

import sqlalchemy as sa

from community import operations
from demo.accounts import demo_user
from demo.catalogue import NEW_DESIGNER, render
from demo.meshes import crown_stl
from extensions import db
from models.community import Post
from moderation import claims

FOLLOWS = [
    ("client@demo.occlusa.com", "designer@demo.occlusa.com"),
    ("client@demo.occlusa.com", "designer2@demo.occlusa.com"),
    ("lab@demo.occlusa.com", "designer@demo.occlusa.com"),
]

# (author, text, categories, software, picture hues, with a 3D crown)
POSTS = [
    (
        "designer@demo.occlusa.com",
        "Screw-retained implant crown on 36, Straumann BLX. Emergence profile shaped for the soft tissue, "
        "screw channel angled 20° to stay lingual.",
        ["implants"],
        ["exocad"],
        [200, 30],
        True,
    ),
    (
        "designer@demo.occlusa.com",
        "Six anterior veneers from a digital smile design: mock-up first, then the final in lithium disilicate.",
        ["veneers"],
        ["exocad"],
        [330],
        False,
    ),
    (
        "designer2@demo.occlusa.com",
        "Full-arch wax-up for an All-on-4 case, ready for the try-in print.",
        ["full_arch"],
        ["3shape"],
        [140],
        False,
    ),
    (
        NEW_DESIGNER[0],
        "My first crown on Occlusa: a monolithic zirconia molar with a cusp-fossa occlusion.",
        ["crowns"],
        ["exocad"],
        [60],
        False,
    ),
]


def seed_community() -> list[str]:
    if db.session.scalar(sa.select(Post.id).limit(1)) is not None:
        return []
    moderator = demo_user("moderator@demo.occlusa.com")
    for follower, designer in FOLLOWS:
        operations.follow(demo_user(designer), actor=demo_user(follower))
    lines = []
    for email, body, categories, software, hues, with_model in POSTS:
        author = demo_user(email)
        post = operations.create_post(
            author=author,
            body=body,
            categories=categories,
            software=software,
            pictures=[render(author.id * 10 + hue, hue) for hue in hues],
            model=("crown-36.stl", iter([crown_stl()])) if with_model else None,
        )
        # The demo's designers signed up today: their first post is approved as a moderator would;
        # the new designer's stays in the queue.
        if post.state.value == "pending" and email != NEW_DESIGNER[0]:
            claims.claim_item(operations.POST, post.id, actor=moderator)
            operations.approve_post(post, actor=moderator)
        lines.append(f"community post by {email} ({post.state.value})")
    return lines + [f"{follower} follows {designer}" for follower, designer in FOLLOWS]
