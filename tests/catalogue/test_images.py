"""Pictures: sniffed from the bytes, bounded, re-encoded without EXIF/GPS; a bad one saves nothing."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from PIL import Image

from errors import DomainError
from extensions import db
from models.profiles import CatalogueImage, DesignerProfile
from profiles import images
from tests.catalogue.factories import picture
from tests.factories import make_user


def _profile_form(**files):
    data = {
        "real_name": "Elena Marquez",
        "country": "ES",
        "tax_id": "ES12345678Z",
        "headline": "Crowns",
        "bio": "I design crowns.",
        "skills": "zirconia",
        "software": ["exocad"],
        "experience": "",
        "education": "",
        "action": "save",
    }
    data.update({name: (io.BytesIO(raw), filename) for name, (raw, filename) in files.items()})
    return data


def _images() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(CatalogueImage))


@pytest.mark.parametrize(
    "raw, filename, message",
    [
        (b"this is a text file pretending to be a photo\n" * 10, "photo.jpg", "not a JPEG, PNG or WebP"),
        (b"\xff\xd8\xff" + b"\0" * 5000, "broken.jpg", "could not be read"),
        (picture(120, 120), "tiny.png", "too small"),
    ],
)
def test_a_bad_picture_is_refused_and_nothing_is_saved(client, login, raw, filename, message):
    login(make_user(designer=True))
    response = client.post(
        "/settings/profile", data=_profile_form(photo=(raw, filename)), content_type="multipart/form-data"
    )
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert _images() == 0
    profile = db.session.scalar(sa.select(DesignerProfile))
    assert profile.real_name == ""  # the text of the same form was not saved either


def test_a_file_over_the_size_limit_is_refused(app, monkeypatch):
    monkeypatch.setattr(images, "MAX_BYTES", 50_000)
    big = _noisy_png(400, 400)
    assert len(big) > 50_000
    with app.test_request_context():
        with pytest.raises(DomainError) as refused:
            images.clean_image(big)
        assert "larger than" in str(refused.value.message)


def test_too_many_pixels_is_refused_before_decoding(app):
    # 9000 × 5000 = 45 megapixels in a few kilobytes: refused from its header alone.
    raw = picture(9000, 5000, fmt="PNG")
    with app.test_request_context():
        with pytest.raises(DomainError) as refused:
            images.clean_image(raw)
        assert "too many pixels" in str(refused.value.message)


def test_a_photo_is_re_encoded_without_exif_and_gps_and_scaled_down():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 24.0)}  # GPS position
    raw = picture(2600, 1300, fmt="JPEG", exif=exif.tobytes())
    assert b"PhoneMaker" in raw
    clean = images.clean_image(raw)
    assert clean.content_type == "image/jpeg"
    assert (clean.width, clean.height) == (2000, 1000)
    kept = Image.open(io.BytesIO(clean.data))
    assert not kept.getexif() and b"PhoneMaker" not in clean.data
    assert max(Image.open(io.BytesIO(clean.thumb)).size) == images.THUMB_SIDE


def test_a_transparent_png_is_kept_transparent_as_webp():
    out = io.BytesIO()
    Image.new("RGBA", (300, 300), (0, 0, 0, 0)).save(out, "PNG")
    assert images.clean_image(out.getvalue()).content_type == "image/webp"


def test_pictures_are_served_with_long_cache_headers(client, login):
    login(make_user(designer=True))
    client.post(
        "/settings/profile", data=_profile_form(photo=(picture(), "me.png")), content_type="multipart/form-data"
    )
    token = db.session.scalar(sa.select(CatalogueImage.token))
    response = client.get(f"/media/{token}")
    assert response.status_code == 200 and response.mimetype == "image/jpeg"
    assert "immutable" in response.headers["Cache-Control"] and "public" in response.headers["Cache-Control"]
    assert client.get(f"/media/{token}", headers={"If-None-Match": f'"{token}"'}).status_code == 304
    assert client.get("/media/not-a-token").status_code == 404


def _noisy_png(width: int, height: int) -> bytes:
    import os

    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), os.urandom(width * height * 3)).save(out, "PNG")
    return out.getvalue()
