"""Public pictures: sniffed from their bytes, bounded, re-encoded without metadata, thumbnailed.

Whatever a browser sends (a name, a Content-Type) is ignored: the first bytes say what the
file is, Pillow must decode it whole, and what is kept is a fresh encoding of the pixels —
no EXIF, no GPS position, no embedded profile or comment survives.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from PIL import Image, ImageOps

from errors import DomainError

MAX_BYTES = 10 * 1024 * 1024  # as uploaded
MAX_PIXELS = 40_000_000  # width × height as declared in the header, checked before decoding
MIN_SIDE = 200  # smaller is not usable on a profile or a listing
MAX_SIDE = 2000  # kept size: the longest side is scaled down to this
THUMB_SIDE = 480

_SIGNATURES = {
    b"\xff\xd8\xff": "JPEG",
    b"\x89PNG\r\n\x1a\n": "PNG",
}


@dataclass(frozen=True)
class CleanImage:
    data: bytes
    thumb: bytes
    content_type: str
    width: int
    height: int


def sniff(head: bytes) -> str | None:
    """The picture format the leading bytes announce (JPEG, PNG or WEBP), or None."""
    for signature, name in _SIGNATURES.items():
        if head.startswith(signature):
            return name
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "WEBP"
    return None


def clean_image(raw: bytes) -> CleanImage:
    """Check and re-encode an uploaded picture. Raises DomainError with a reason a user can act on."""
    if len(raw) > MAX_BYTES:
        raise DomainError(
            _l("This image is larger than %(mb)d MB. Please send a smaller file.", mb=MAX_BYTES // (1024 * 1024))
        )
    kind = sniff(raw[:16])
    if kind is None:
        raise DomainError(_l("This file is not a JPEG, PNG or WebP image."))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            picture = Image.open(io.BytesIO(raw), formats=[kind])
            if picture.width * picture.height > MAX_PIXELS:
                raise DomainError(
                    _l(
                        "This image has too many pixels (%(w)d × %(h)d). Please send at most %(mp)d megapixels.",
                        w=picture.width,
                        h=picture.height,
                        mp=MAX_PIXELS // 1_000_000,
                    )
                )
            picture.load()
    except DomainError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise DomainError(
            _l("This image has too many pixels. Please send at most %(mp)d megapixels.", mp=MAX_PIXELS // 1_000_000)
        ) from None
    except (OSError, ValueError, SyntaxError):
        raise DomainError(_l("This image could not be read; the file may be damaged.")) from None
    if min(picture.size) < MIN_SIDE:
        raise DomainError(_l("This image is too small: at least %(n)d pixels on each side, please.", n=MIN_SIDE))
    picture = ImageOps.exif_transpose(picture)  # keep the orientation the EXIF asked for, then drop EXIF
    has_alpha = picture.mode in ("RGBA", "LA") or (picture.mode == "P" and "transparency" in picture.info)
    picture = picture.convert("RGBA" if has_alpha else "RGB")
    picture.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    small = picture.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    # Transparency needs WebP; everything else is a plain progressive JPEG.
    fmt, content_type = ("WEBP", "image/webp") if has_alpha else ("JPEG", "image/jpeg")
    return CleanImage(_encode(picture, fmt), _encode(small, fmt), content_type, picture.width, picture.height)


def _encode(picture: Image.Image, fmt: str) -> bytes:
    out = io.BytesIO()
    if fmt == "JPEG":
        picture.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    else:
        picture.save(out, "WEBP", quality=85, method=4)
    return out.getvalue()
