"""Demo catalogue: approved designers with pictures, a dozen listings across categories, a
private listing for the demo client, and items waiting for (or refused by) moderators."""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

from accounts.operations import find_by_email
from demo.accounts import demo_user
from demo.seed import DEMO_PASSWORD
from extensions import db
from legal.operations import accept_current_terms
from listings import operations as listing_ops
from listings.pricing import Tier
from models.accounts import User
from models.listings import Listing, PricingUnit
from models.profiles import ImagePurpose, ReviewState
from models.types import utcnow
from passwords import hash_password
from profiles import operations as profile_ops

PROFILES = {
    "designer@demo.occlusa.com": dict(
        real_name="Elena Marquez",
        country="ES",
        tax_id="ESB12345678",
        headline="exocad crown & bridge specialist",
        bio="Dental technician turned full-time CAD designer. I design anatomic crowns, bridges and veneers "
        "for labs across Europe, with tight contacts and functional occlusion checked on every case.",
        skills=["zirconia", "lithium disilicate", "anterior aesthetics", "bridges"],
        software=["exocad", "3shape"],
        experience="Eight years in a Madrid milling centre, then freelance since 2019.",
        education="Dental technician diploma; exocad certified trainer.",
    ),
    "designer2@demo.occlusa.com": dict(
        real_name="Karim Haddad",
        country="FR",
        tax_id="FR40123456789",
        headline="Implant bars and All-on-X",
        bio="I design implant-supported work: custom abutments, screw-retained crowns, bars and full-arch "
        "hybrids, with passive fit and cleansable intaglio surfaces.",
        skills=["implant bars", "custom abutments", "All-on-X"],
        software=["exocad", "exoplan", "3shape"],
        experience="Twelve years of implant prosthetics in Lyon.",
        education="BTS prothèse dentaire.",
    ),
    "designer3@demo.occlusa.com": dict(
        real_name="Sofia Rossi",
        country="IT",
        tax_id="IT01234567890",
        headline="Aligners, splints and guides",
        bio="Orthodontic set-ups, aligner staging, night guards and surgical guides, planned carefully and "
        "delivered ready to print.",
        skills=["aligner staging", "night guards", "surgical guides"],
        software=["blender_for_dental", "archform", "codiagnostix"],
        experience="Orthodontic lab in Bologna, six years.",
        education="Odontotecnico; digital orthodontics course.",
    ),
}

# designer, title, category, subcategory, software, turnaround, revisions, unit, min qty, tiers, hue
LISTINGS = [
    (
        "designer@",
        "Anatomic zirconia crowns, contacts and occlusion checked",
        "crowns",
        "anatomic_crown",
        ["exocad"],
        1,
        2,
        "unit",
        1,
        [(1, 900), (10, 750)],
        190,
    ),
    (
        "designer@",
        "Cut-back crowns ready for layering",
        "crowns",
        "cutback",
        ["exocad"],
        2,
        2,
        "unit",
        1,
        [(1, 1100)],
        200,
    ),
    (
        "designer@",
        "Full-contour bridges up to 14 units",
        "bridges",
        "anatomic_bridge",
        ["exocad", "3shape"],
        2,
        2,
        "unit",
        3,
        [(3, 850), (8, 700)],
        170,
    ),
    (
        "designer@",
        "Veneers with a natural incisal edge",
        "veneers",
        "veneer",
        ["exocad"],
        2,
        3,
        "unit",
        1,
        [(1, 1200), (6, 1000)],
        30,
    ),
    (
        "designer@",
        "E.max inlays, onlays and endocrowns",
        "inlays_onlays",
        "onlay",
        ["3shape"],
        1,
        2,
        "unit",
        1,
        [(1, 800)],
        45,
    ),
    (
        "designer2@",
        "Custom abutments for every major implant system",
        "implants",
        "custom_abutment",
        ["exocad", "3shape"],
        2,
        2,
        "unit",
        1,
        [(1, 1400), (5, 1200)],
        210,
    ),
    (
        "designer2@",
        "Screw-retained implant bars with passive fit",
        "implants",
        "implant_bar",
        ["exocad"],
        3,
        2,
        "arch",
        1,
        [(1, 6500)],
        220,
    ),
    (
        "designer2@",
        "All-on-X hybrid prostheses, full arch",
        "full_arch",
        "all_on_x_prosthesis",
        ["exocad"],
        4,
        3,
        "arch",
        1,
        [(1, 9000)],
        240,
    ),
    (
        "designer2@",
        "Complete dentures with balanced occlusion",
        "dentures",
        "complete_denture",
        ["3shape"],
        3,
        2,
        "arch",
        1,
        [(1, 4500)],
        330,
    ),
    (
        "designer3@",
        "Aligner treatment planning and staging",
        "orthodontics",
        "aligner_planning",
        ["archform", "blender_for_dental"],
        3,
        2,
        "arch",
        1,
        [(1, 3500), (4, 3000)],
        280,
    ),
    (
        "designer3@",
        "Night guards and occlusal splints",
        "night_guards",
        "night_guard",
        ["blender_for_dental"],
        1,
        1,
        "arch",
        1,
        [(1, 1500)],
        150,
    ),
    (
        "designer3@",
        "Implant surgical guides, sleeve-ready",
        "surgical_guides",
        "implant_guide",
        ["codiagnostix"],
        2,
        2,
        "arch",
        1,
        [(1, 4000)],
        100,
    ),
]
PENDING_LISTING = (
    "designer3@",
    "Study models with a printable base",
    "models",
    "study_model",
    ["blender_for_dental"],
    1,
    1,
    "arch",
    1,
    [(1, 800)],
    60,
)
REJECTED_LISTING = (
    "designer3@",
    "Digital wax-ups for smile design",
    "smile_design",
    "digital_wax_up",
    ["blender_for_dental"],
    2,
    2,
    "unit",
    1,
    [(1, 700)],
    15,
)
PRIVATE_LISTING = (
    "designer@",
    "Zirconia crowns for Atelier Lumière (agreed price)",
    "crowns",
    "anatomic_crown",
    ["exocad"],
    1,
    2,
    "unit",
    4,
    [(4, 700), (20, 600)],
    185,
)
NEW_DESIGNER = ("newdesigner@demo.occlusa.com", "Tomás Novak CAD")


def render(seed: int, hue: int, size=(1200, 900)) -> bytes:
    """A clean illustrative render: a row of glossy crown shapes on a soft gradient."""
    rng = random.Random(seed)
    width, height = size
    image = Image.new("RGB", size)
    top, bottom = _hsl(hue, 0.35, 0.92), _hsl(hue, 0.45, 0.70)
    draw = ImageDraw.Draw(image)
    for y in range(height):
        t = y / height
        draw.line([(0, y), (width, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))
    teeth = Image.new("RGBA", size, (0, 0, 0, 0))
    pen = ImageDraw.Draw(teeth)
    count = rng.randint(3, 5)
    span = width * 0.8 / count
    for i in range(count):
        cx = width * 0.1 + span * (i + 0.5)
        cy = height * 0.55 + math.sin(i / count * math.pi) * -40
        w, h = span * 0.42, height * 0.28
        shade = rng.randint(236, 250)
        pen.rounded_rectangle(
            [cx - w, cy - h, cx + w, cy + h * 0.9],
            radius=int(w * 0.7),
            fill=(shade, shade - 4, shade - 14, 255),
            outline=(200, 196, 186, 255),
            width=3,
        )
        for k in range(2):  # cusps
            ox = cx + (k - 0.5) * w * 0.9
            pen.ellipse(
                [ox - w * 0.45, cy - h * 1.12, ox + w * 0.45, cy - h * 0.55], fill=(shade, shade - 3, shade - 12, 255)
            )
        pen.ellipse([cx - w * 0.5, cy - h * 0.7, cx - w * 0.1, cy - h * 0.2], fill=(255, 255, 255, 150))
    shadow = teeth.split()[3].filter(ImageFilter.GaussianBlur(18)).point(lambda a: int(a * 0.35))
    image.paste(Image.new("RGB", size, (30, 40, 50)), (14, 22), shadow)
    image.paste(teeth, (0, 0), teeth)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _hsl(hue: int, sat: float, light: float) -> tuple[int, int, int]:
    import colorsys

    r, g, b = colorsys.hls_to_rgb(hue / 360, light, sat)
    return int(r * 255), int(g * 255), int(b * 255)


def _portrait(seed: int, hue: int) -> bytes:
    image = Image.new("RGB", (600, 600), _hsl(hue, 0.3, 0.85))
    draw = ImageDraw.Draw(image)
    draw.ellipse([190, 110, 410, 350], fill=_hsl(hue, 0.25, 0.55))
    draw.ellipse([100, 360, 500, 760], fill=_hsl(hue, 0.35, 0.40))
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def _designer_profile(user: User, fields: dict, hue: int, *, approve: bool, moderator: User) -> str | None:
    profile = profile_ops.profile_for(user, create=True)
    if profile.state != ReviewState.draft or profile.bio:
        return None
    profile_ops.update_profile(profile, actor=user, **fields)
    profile_ops.add_profile_image(profile, actor=user, purpose=ImagePurpose.photo, raw=_portrait(user.id, hue))
    profile_ops.add_profile_image(
        profile, actor=user, purpose=ImagePurpose.banner, raw=render(user.id, hue, (1600, 500))
    )
    for n in range(3):
        profile_ops.add_profile_image(
            profile, actor=user, purpose=ImagePurpose.portfolio, raw=render(user.id * 10 + n, hue + 20 * n, (900, 675))
        )
    profile_ops.submit_profile(profile, actor=user)
    if approve:
        profile_ops.approve_profile(profile, actor=moderator)
    return f"profile {user.email} ({'approved' if approve else 'pending review'})"


def _listing(spec, moderator: User, *, outcome: str = "approve", private_client: User | None = None) -> str | None:
    who, title, category, sub, software, days, revisions, unit, min_qty, tiers, hue = spec
    designer = demo_user(who + "demo.occlusa.com")
    for_whom = (
        (Listing.private_client_id == private_client.id) if private_client else Listing.private_client_id.is_(None)
    )
    exists = db.session.scalar(
        db.select(Listing.id).where(
            Listing.designer_id == designer.id, Listing.category == category, Listing.subcategory == sub, for_whom
        )
    )
    if exists:
        return None
    draft = listing_ops.ListingDraft(
        title=title,
        category=category,
        subcategory=sub,
        software=software,
        revisions_included=revisions,
        turnaround_days=days,
        unit=PricingUnit(unit),
        min_quantity=min_qty,
        tiers=[Tier(q, c) for q, c in tiers],
        description=f"{title}. Send the intra-oral scans or model scans with your prescription (tooth numbers, "
        f"material, shade, margin and cement gap). You receive the design as STL plus the project "
        f"file, with {revisions} revisions included, within {days} working day(s).",
    )
    listing = listing_ops.create_listing(designer, actor=designer, draft=draft, private_client=private_client)
    for n in range(2):
        listing_ops.add_listing_image(listing, actor=designer, raw=render(sum(map(ord, title)) + n, hue + 12 * n))
    listing_ops.submit_listing(listing, actor=designer)
    if outcome == "approve":
        listing_ops.approve_listing(listing, actor=moderator)
    elif outcome == "reject":
        listing_ops.reject_listing(
            listing,
            actor=moderator,
            reasons=["missing_description", "missing_images"],
            note="Please describe the wax-up deliverables and show a design screenshot.",
        )
    state = {"approve": "approved", "reject": "rejected", "none": "pending review"}[outcome]
    return f"listing {title!r} ({'private, ' if private_client else ''}{state})"


def seed_catalogue() -> list[str]:
    lines: list[str] = []
    moderator = demo_user("moderator@demo.occlusa.com")
    verifier = demo_user("verifier@demo.occlusa.com")
    for n, (email, fields) in enumerate(PROFILES.items()):
        user = demo_user(email)
        line = _designer_profile(user, fields, 190 + 60 * n, approve=True, moderator=moderator)
        if line:
            lines.append(line)
        profile_ops.set_identity_verified(user, True, actor=verifier)
        profile_ops.set_payouts_ready(user, True)
    newcomer = find_by_email(NEW_DESIGNER[0])
    if newcomer is None:
        newcomer = User(
            email=NEW_DESIGNER[0],
            display_name=NEW_DESIGNER[1],
            password_hash=hash_password(DEMO_PASSWORD),
            is_client=False,
            is_designer=True,
            email_confirmed_at=utcnow(),
            locale="en",
        )
        db.session.add(newcomer)
        db.session.flush()
        accept_current_terms(newcomer)
        lines.append(f"account {newcomer.email}")
    line = _designer_profile(
        newcomer,
        dict(
            PROFILES["designer@demo.occlusa.com"],
            real_name="Tomás Novak",
            country="CZ",
            tax_id="CZ12345678",
            headline="Crowns and bridges, new on Occlusa",
        ),
        20,
        approve=False,
        moderator=moderator,
    )
    if line:
        lines.append(line)
    for spec in LISTINGS:
        lines.append(_listing(spec, moderator))
    lines.append(_listing(PENDING_LISTING, moderator, outcome="none"))
    lines.append(_listing(REJECTED_LISTING, moderator, outcome="reject"))
    lines.append(_listing(PRIVATE_LISTING, moderator, private_client=demo_user("client@demo.occlusa.com")))
    return [line for line in lines if line]
