"""create_app(): configuration, extensions, blueprints, back office, CLI and error pages."""

from __future__ import annotations

import hashlib
import importlib
import io
import logging
import os
import pkgutil
from typing import Any

import sqlalchemy as sa
from flask import Flask, Request, g, has_request_context, jsonify, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, user_loaded_from_cookie, user_logged_in, user_logged_out
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix

import config
import models  # noqa: F401 - registers every table with the metadata
import storefront
from access_log import carries_secret, init_access_log, logged_path
from accounts.tokens import confirm_link, reset_link
from backoffice import init_backoffice
from cli import register_cli
from errors import Busy, DomainError, InvalidTransition, NotFound, PermissionDenied
from extensions import (
    babel,
    csrf,
    db,
    install_template_class,
    install_template_gettext,
    limiter,
    login_manager,
    migrate,
)
from files.crypto import load_master_key
from jobs.sweep import start_local_sweeper
from models.accounts import AccountStatus, User
from models.cases import CaseState
from models.disputes import DisputeState, ProposalStatus
from models.files import ShareLinkState
from models.moderation import ViolationStatus
from models.profiles import ReviewState
from models.verification import VerificationStatus
from moderation import second_factor
from payments.case_money import format_money
from payments.fees import MINIMUM_FEE_CENTS, MINIMUM_ORDER_CENTS
from registrations import register_hooks
from storefront.contact_refusal import highlight_findings
from storefront.dates import format_datetime
from storefront.navigation import main_nav, settings_nav
from support.tokens import ticket_confirm_link, ticket_link
from teams.operations import invitation_link
from url_numbers import RowIdConverter


class FormRequest(Request):
    """A request whose posted files stay in memory: werkzeug spools a part over 500 KB to a
    temporary file, which would leave a passport or a scan unencrypted in free disk blocks.
    MAX_CONTENT_LENGTH bounds a form post (413 above it); larger files go through the
    resumable upload API, which encrypts each request's bytes as they arrive."""

    def _get_file_stream(self, total_content_length, content_type, filename=None, content_length=None):
        return io.BytesIO()


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_path=os.environ.get("INSTANCE_PATH") or None, instance_relative_config=True)
    app.request_class = FormRequest
    app.url_map.converters["int"] = RowIdConverter  # before any route is added
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.update(config.load(app.instance_path))
    if overrides:
        app.config.update(overrides)
    refuse_weak_settings(app.config)
    # From the final database URL (a test or an override may change it after config.load).
    app.config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS",
        config.engine_options(app.config["SQLALCHEMY_DATABASE_URI"], app.config["LOCK_TIMEOUT_SECONDS"]),
    )
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    hops = app.config["TRUSTED_PROXY_HOPS"]
    if hops:
        # The client's address and scheme as our own proxies saw them: rate limits and session
        # protection then key on each client, not on the load balancer's address.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(config.ROOT, "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    babel.init_app(app, locale_selector=_select_locale)
    install_template_gettext(app)
    install_template_class(app)
    _init_login(app)
    _register_blueprints(app)
    _register_errors(app)
    _register_security_headers(app)
    init_access_log(app)
    _register_template_globals(app)
    init_backoffice(app)
    register_cli(app)
    register_hooks(app)
    if app.config["SWEEP_EVERY_SECONDS"] and not app.config["REDIS_URL"]:
        start_local_sweeper(app, app.config["SWEEP_EVERY_SECONDS"])
    return app


# SECRET_KEY values of tutorials and templates: a production server never starts on one.
WEAK_SECRET_KEYS = {
    "changeme",
    "change-me",
    "change_me",
    "changethis",
    "dev",
    "development",
    "secret",
    "secret-key",
    "secret_key",
    "secretkey",
    "your-secret-key",
    "default",
    "test",
    "testing",
    "password",
    "occlusa",
    "flask",
}
MIN_SECRET_KEY_BYTES = 32


def refuse_weak_settings(settings) -> None:
    """Refuse to start, naming every problem at once, on settings that would leave the platform open:
    in production a known or short SECRET_KEY; anywhere, a FILES_MASTER_KEY that is not 32 bytes
    (found now rather than at the first upload)."""
    problems = []
    if settings["PRODUCTION"]:
        secret = str(settings.get("SECRET_KEY") or "")
        if secret.strip().lower() in WEAK_SECRET_KEYS or len(secret.encode()) < MIN_SECRET_KEY_BYTES:
            problems.append(
                f"SECRET_KEY is a known or short value: use at least {MIN_SECRET_KEY_BYTES} random "
                "bytes (python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
    try:
        load_master_key(str(settings.get("FILES_MASTER_KEY") or ""))
    except ValueError:
        problems.append(
            "FILES_MASTER_KEY must be 32 random bytes in urlsafe base64 (python -c 'import base64, os; "
            "print(base64.urlsafe_b64encode(os.urandom(32)).decode())')"
        )
    if problems:
        raise RuntimeError("Refusing to start: " + "; ".join(problems))


def _select_locale() -> str:
    languages = ["en", "fr"]
    if not has_request_context():
        return "en"  # jobs, sweeps and CLI render in the locale they force (force_locale)
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    if current_user and current_user.is_authenticated and current_user.locale in languages:
        return current_user.locale
    return request.accept_languages.best_match(languages) or "en"


# The signed-in account and its staff roles in one statement, built once: every signed-in
# request runs it, and building a statement costs more than running it.
_SIGNED_IN_USER = sa.select(User).where(User.id == sa.bindparam("user_id")).options(sa.orm.joinedload(User.roles))


def _init_login(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "accounts.login"
    login_manager.login_message = None  # the login page says it itself
    # "strong": a session cookie shown from another address or browser is dropped.
    login_manager.session_protection = "strong"
    login_manager._session_identifier_generator = _browser_identity

    @user_loaded_from_cookie.connect_via(app)
    def mark_restored_session(sender, user):
        # Flask-Login restores the session from the remember cookie without the browser's
        # identity, so "strong" would drop it on the next page: "Keep me logged in" lasted one page.
        session["_id"] = _browser_identity()

    @login_manager.user_loader
    def load_user(identity: str):
        # "<id>:<session_version>": a bumped version ends every older session at once.
        user_id, _sep, version = identity.partition(":")
        if not user_id.isdigit() or not version.isdigit():
            return None
        # Its staff grants in the same statement: every back-office page reads them at once.
        user = db.session.execute(_SIGNED_IN_USER, {"user_id": int(user_id)}).unique().scalar_one_or_none()
        if user is None or user.session_version != int(version) or not user.is_active:
            return None
        # Every staff rule reads this stamp: a password alone opens no staff power anywhere.
        user.second_factor_passed = second_factor.session_has_passed(user)
        return user

    @user_logged_in.connect_via(app)
    def no_factor_at_login(_app, user, **_extra):
        second_factor.forget_session_passed()  # a fresh login has not passed the second factor
        user.second_factor_passed = False

    @user_logged_out.connect_via(app)
    def no_factor_after_logout(_app, user, **_extra):
        second_factor.forget_session_passed()


def _browser_identity() -> str:
    """Who holds a session: the client's address (as ProxyFix resolved it, never a header the
    client wrote itself) and its browser."""
    agent = request.headers.get("User-Agent", "")
    return hashlib.sha512(f"{request.remote_addr}|{agent}".encode()).hexdigest()


def _register_blueprints(app: Flask) -> None:
    """Register the blueprint `bp` of every storefront area (storefront/<area>/views.py)."""
    for area in sorted(m.name for m in pkgutil.iter_modules(storefront.__path__) if m.ispkg):
        views = importlib.import_module(f"storefront.{area}.views")
        app.register_blueprint(views.bp)


def _wants_json() -> bool:
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes["text/html"]


def _error_page(status: int, title: str, message: str):
    if _wants_json():
        return jsonify(error=message), status
    return render_template("errors/error.html", status=status, title=title, message=message), status


def _register_errors(app: Flask) -> None:
    pages = {
        400: (
            lambda: _("Bad request"),
            lambda: _("The request could not be understood. Please go back and try again."),
        ),
        403: (lambda: _("Forbidden"), lambda: _("You do not have access to this page.")),
        404: (lambda: _("Page not found"), lambda: _("This page does not exist or is not available to you.")),
        405: (lambda: _("Not allowed"), lambda: _("This action is not available here.")),
        413: (lambda: _("File too large"), lambda: _("What you sent is larger than the platform accepts.")),
        429: (
            lambda: _("Too many attempts"),
            lambda: _("You have tried too often. Please wait a minute and try again."),
        ),
        500: (
            lambda: _("Something went wrong"),
            lambda: _("An unexpected error occurred. It has been logged; please try again."),
        ),
    }

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException):
        title, message = pages.get(exc.code, (lambda: exc.name, lambda: exc.description))
        return _error_page(exc.code or 500, title(), message())

    @app.errorhandler(CSRFError)
    def csrf_error(exc: CSRFError):
        return _error_page(
            400,
            _("Form expired"),
            _("This form was open too long or came from elsewhere. Please reload the page and try again."),
        )

    @app.errorhandler(DomainError)
    def domain_error(exc: DomainError):
        db.session.rollback()
        if isinstance(exc, NotFound):
            return http_error_code(404)
        status = 403 if isinstance(exc, PermissionDenied) else 409 if isinstance(exc, InvalidTransition) else 400
        return _error_page(status, _("Action refused"), exc.message)

    @app.errorhandler(Busy)
    def busy(exc: Busy):
        db.session.rollback()
        app.logger.info("busy on %s %s: %s", request.method, request.path, exc)
        return _error_page(
            409,
            _("Busy"),
            _("Someone else is changing this right now, so nothing was changed. Please try again in a moment."),
        )

    def http_error_code(code: int):
        title, message = pages[code]
        return _error_page(code, title(), message())

    @app.errorhandler(Exception)
    def unexpected(exc: Exception):
        db.session.rollback()
        app.logger.exception("unhandled error on %s %s", request.method, logged_path())
        return http_error_code(500)


def _content_security_policy(app: Flask) -> str:
    stripe = bool(app.config.get("STRIPE_PUBLISHABLE_KEY"))
    script = "'self'" + (" https://js.stripe.com" if stripe else "")
    frame = "https://js.stripe.com https://hooks.stripe.com" if stripe else "'none'"
    connect = "'self'" + (" https://api.stripe.com" if stripe else "")
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {script}",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "font-src 'self'",
            f"connect-src {connect}",
            f"frame-src {frame}",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _register_security_headers(app: Flask) -> None:
    policy = _content_security_policy(app)

    @app.after_request
    def security_headers(response):
        nonce = g.get("csp_nonce")  # set by pages with inline scripts (the back office)
        response.headers.setdefault(
            "Content-Security-Policy",
            policy
            if not nonce
            else policy.replace("script-src 'self'", f"script-src 'self' 'nonce-{nonce}'").replace(
                "style-src 'self'", f"style-src 'self' 'nonce-{nonce}'"
            ),
        )
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        if app.config["PRODUCTION"]:
            response.headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
        if carries_secret():
            # A page opened by a secret link (share link, reset, confirmation) stays in no cache.
            response.headers.setdefault("Cache-Control", "no-store")
        if current_user and current_user.is_authenticated:
            # Pages behind a login are personal: never kept by shared caches.
            response.headers.setdefault("Cache-Control", "private, no-store")
        return response


def _layout_url(app: Flask):
    """url_for for the layout's fixed links (static files, the menu, the footer), built once per
    application root: without host or subdomain rules a relative URL depends on nothing of the
    request but its script root, and base.html asks about twenty of them on every page. Only
    for a closed set of links: a page's own links (with row ids) go through url_for."""
    built: dict = {}

    def layout_url(endpoint: str, **values) -> str:
        if not has_request_context():
            return app.url_for(endpoint, **values)
        key = (request.script_root, endpoint, *values.items())
        url = built.get(key)
        if url is None:
            url = built[key] = app.url_for(endpoint, **values)
        return url

    return layout_url


# A value no row has, standing for the row's part while its URL's prefix is built (a number, so that
# int converters take it too).
_ROW_PART = "9182736450918273645"


def url_prefix(endpoint: str, last: str, **values) -> str:
    """The URL of `endpoint` without its last part, the value `last`, which a page appends for each
    row (its id, a file's public id: URL-safe as they are): one url_for per page and link instead of
    one per row. `last` must end the URL (the last path part or the only query argument)."""
    url = url_for(endpoint, **values, **{last: _ROW_PART})
    if not url.endswith(_ROW_PART):
        raise ValueError(f"{last} does not end the URL of {endpoint}")
    return url[: -len(_ROW_PART)]


def _register_template_globals(app: Flask) -> None:
    app.jinja_env.globals.update(
        layout_url=_layout_url(app),
        url_prefix=url_prefix,
        main_nav=main_nav,
        settings_nav=settings_nav,
        confirm_link=confirm_link,
        reset_link=reset_link,
        ticket_confirm_link=ticket_confirm_link,
        ticket_link=ticket_link,
        invitation_link=invitation_link,
    )
    app.jinja_env.filters["highlight_findings"] = highlight_findings
    app.jinja_env.filters["datetimeformat"] = format_datetime  # Flask-Babel's, with patterns parsed once
    # Every amount on every page and mail goes through this one formatter, in the reader's locale.
    app.jinja_env.filters["money"] = format_money
    app.jinja_env.globals.update(MINIMUM_FEE_CENTS=MINIMUM_FEE_CENTS, MINIMUM_ORDER_CENTS=MINIMUM_ORDER_CENTS)
    # Templates compare the processes' states with their enums, never with strings.
    app.jinja_env.globals.update(
        AccountStatus=AccountStatus,
        CaseState=CaseState,
        DisputeState=DisputeState,
        ProposalStatus=ProposalStatus,
        ReviewState=ReviewState,
        ShareLinkState=ShareLinkState,
        VerificationStatus=VerificationStatus,
        ViolationStatus=ViolationStatus,
    )

    @app.context_processor
    def inject_globals():
        return {"current_locale": str(get_locale() or "en"), "languages": app.config["LANGUAGES"]}
