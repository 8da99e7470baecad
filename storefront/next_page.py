"""Where to go after a form: the `next` parameter or the referring page, only ever a page of ours.

Every redirect to an address the request supplied goes through here. Browsers forgive a lot in
a Location header: they drop tabs and newlines, read a backslash as a slash, and take "//host"
or "///host" for another site. So control characters and backslashes are removed first, then
what is left must parse with neither scheme nor host and start with exactly one slash.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import request

_UNSAFE = re.compile(r"[\x00-\x1f\x7f\\]")


def local_path(raw: str | None, default: str, *, under: str = "/") -> str:
    """`raw` when it names a page of this site below `under`, else `default`."""
    cleaned = _UNSAFE.sub("", raw or "").strip()
    parts = urlsplit(cleaned)
    if parts.scheme or parts.netloc or not cleaned.startswith("/") or cleaned.startswith("//"):
        return default
    prefix = under.rstrip("/")
    if prefix and parts.path != prefix and not parts.path.startswith(prefix + "/"):
        return default
    return cleaned


def next_page(default: str, *, under: str = "/") -> str:
    """The page named by the request's `next` (query string or form), when it is one of ours."""
    return local_path(request.values.get("next"), default, under=under)


def referring_page(default: str) -> str:
    """The page the request came from, when it is one of ours (same host), else `default`."""
    parts = urlsplit(_UNSAFE.sub("", request.referrer or "").strip())
    if parts.scheme not in ("http", "https") or parts.netloc != request.host:
        return default
    return local_path(parts.path + (f"?{parts.query}" if parts.query else ""), default)
