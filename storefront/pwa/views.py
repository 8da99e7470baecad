"""The installable app: web manifest, service worker (root scope), offline page, install help."""

from __future__ import annotations

import hashlib
from pathlib import Path

from flask import Blueprint, current_app, jsonify, make_response, redirect, render_template, url_for
from flask_babel import gettext as _

bp = Blueprint("pwa", __name__)

# What the service worker keeps for offline use: the app shell.
SHELL_ASSETS = [
    "css/app.css",
    "css/messages.css",
    "js/app.js",
    "js/messages.js",
    "js/notifications.js",
    "js/pwa.js",
    "img/icon.svg",
    "img/icon-192.png",
    "img/icon-512.png",
]


@bp.get("/manifest.webmanifest")
def manifest():
    icons = [
        {
            "src": url_for("static", filename="img/icon-192.png"),
            "sizes": "192x192",
            "type": "image/png",
            "purpose": "any",
        },
        {
            "src": url_for("static", filename="img/icon-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "any",
        },
        {
            "src": url_for("static", filename="img/icon-maskable-192.png"),
            "sizes": "192x192",
            "type": "image/png",
            "purpose": "maskable",
        },
        {
            "src": url_for("static", filename="img/icon-maskable-512.png"),
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ]
    response = jsonify(
        {
            "id": "/",
            "name": "Occlusa",
            "short_name": "Occlusa",
            "description": _("Dental CAD design, case by case"),
            "lang": "en",
            "start_url": "/?source=pwa",
            "scope": "/",
            "display": "standalone",
            "background_color": "#f6f8f9",
            "theme_color": "#0f5c6e",
            "icons": icons,
        }
    )
    response.mimetype = "application/manifest+json"
    response.headers["Cache-Control"] = "public, max-age=3600"
    return response


def _shell_version() -> str:
    # The cache name changes whenever a shell file changes, so a deploy refreshes clients.
    digest = hashlib.sha256()
    static = Path(current_app.static_folder)
    for name in SHELL_ASSETS:
        path = static / name
        if path.exists():
            digest.update(path.read_bytes())
    digest.update(render_template("pwa/offline.html").encode())
    return digest.hexdigest()[:12]


@bp.get("/service-worker.js")
def service_worker():
    body = render_template(
        "pwa/service-worker.js",
        version=_shell_version(),
        offline_url=url_for("pwa.offline"),
        assets=[url_for("static", filename=name) for name in SHELL_ASSETS],
    )
    response = make_response(body)
    response.mimetype = "text/javascript"
    response.headers["Service-Worker-Allowed"] = "/"
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/offline")
def offline():
    response = make_response(render_template("pwa/offline.html"))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.get("/help/install")
def install_help():
    # The install steps are a help centre article now; old links and bookmarks land on it.
    return redirect(url_for("help.article", slug="install-the-app"), code=301)
