"""Every setting, read from the environment, with embedded defaults for a local run."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

ROOT = Path(__file__).resolve().parent


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


# Standard VAT rates (percent) by country, for the VAT_RATES default; overridden whole by the variable.
EU_VAT_RATES = (
    "AT:20,BE:21,BG:20,CY:19,CZ:21,DE:19,DK:25,EE:24,ES:21,FI:25.5,FR:20,GR:24,HR:25,HU:27,IE:23,"
    "IT:22,LT:21,LU:17,LV:21,MT:18,NL:21,PL:23,PT:23,RO:21,SE:25,SI:22,SK:23"
)


def vat_rates(raw: str) -> dict[str, int]:
    """ "FR:20,FI:25.5" → {"FR": 2000, "FI": 2550}: rates in basis points, so VAT stays integer cents.
    A malformed entry stops the server at start rather than printing a wrong rate on invoices."""
    rates = {}
    for item in filter(None, (part.strip() for part in raw.split(","))):
        country, _, rate = item.partition(":")
        basis_points = round(float(rate) * 100)
        if len(country.strip()) != 2 or not 0 <= basis_points <= 10_000:
            raise RuntimeError(f"VAT_RATES: {item!r} is not COUNTRY:PERCENT")
        rates[country.strip().upper()] = basis_points
    return rates


def database_url(raw: str) -> str:
    """Normalise a DATABASE_URL so SQLAlchemy uses psycopg 3 for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


def engine_options(db_url: str, lock_timeout_seconds: int) -> dict:
    """SQLAlchemy engine options for this database: lock waits end after `lock_timeout_seconds`."""
    if db_url.startswith("sqlite"):
        # One writer at a time: a second one waits this long for the file lock, then gives up.
        return {"connect_args": {"timeout": lock_timeout_seconds}}
    # A server database may drop idle connections; an embedded file cannot.
    return {"pool_pre_ping": True, "connect_args": {"options": f"-c lock_timeout={int(lock_timeout_seconds * 1000)}"}}


def is_production() -> bool:
    return os.environ.get("APP_ENV", os.environ.get("FLASK_ENV", "")).lower() == "production"


def _secret_key(instance: Path) -> str:
    """The secret key: from the environment, or generated once and kept in instance/ locally.

    In production a missing SECRET_KEY is an error: a key invented at start would log
    everyone out on each deploy and differ between web servers.
    """
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    if is_production():
        raise RuntimeError("SECRET_KEY must be set in the environment in production")
    path = instance / "secret_key"
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(48))
        path.chmod(0o600)
    return path.read_text().strip()


def _generated_key(instance: Path, name: str, filename: str) -> str:
    """A 32-byte key (urlsafe base64) such as FILES_MASTER_KEY: same rules as SECRET_KEY.

    Parsed and checked in one place, files.crypto (key_ring, totp_secrets_key).
    """
    if os.environ.get(name):
        return os.environ[name]
    if is_production():
        raise RuntimeError(f"{name} must be set in the environment in production")
    path = instance / filename
    if not path.exists():
        instance.mkdir(parents=True, exist_ok=True)
        path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
        path.chmod(0o600)
    return path.read_text().strip()


def load(instance_path: str) -> dict:
    """Build the configuration mapping for create_app()."""
    instance = Path(instance_path)
    production = is_production()
    redis_url = os.environ.get("REDIS_URL") or None
    db_url = database_url(os.environ.get("DATABASE_URL", f"sqlite:///{instance / 'occlusa.db'}"))
    translation_dirs = (
        sorted(str(p) for p in (ROOT / "translations").iterdir() if p.is_dir())
        if (ROOT / "translations").is_dir()
        else []
    )
    return {
        "PRODUCTION": production,
        "SECRET_KEY": _secret_key(instance),
        # The current key wraps new file keys; old ones (comma separated) still unwrap until
        # `flask rotate-files-key` has re-wrapped every file key under the current one.
        "FILES_MASTER_KEY": _generated_key(instance, "FILES_MASTER_KEY", "files_master_key"),
        "FILES_MASTER_KEYS_OLD": os.environ.get("FILES_MASTER_KEYS_OLD", ""),
        "TOTP_SECRETS_KEY": _generated_key(instance, "TOTP_SECRETS_KEY", "totp_secrets_key"),
        "SQLALCHEMY_DATABASE_URI": db_url,
        # How long an action waits for a row another one holds before answering "busy, try again".
        "LOCK_TIMEOUT_SECONDS": _int("LOCK_TIMEOUT_SECONDS", 3),
        "REDIS_URL": redis_url,
        # Without Redis, `make run` sweeps deadlines in the web process every this many seconds.
        "SWEEP_EVERY_SECONDS": _int("SWEEP_EVERY_SECONDS", 0),
        # With Redis: each worker's ticker enqueues a sweep this often (once across workers);
        # a sweep job running longer than SWEEP_JOB_TIMEOUT is killed and the next tick goes on.
        "SWEEP_TICK_SECONDS": _int("SWEEP_TICK_SECONDS", 60),
        "SWEEP_JOB_TIMEOUT": _int("SWEEP_JOB_TIMEOUT", 300),
        # /healthz reports the sweeps as stopped when none finished for this long.
        "SWEEP_STALE_SECONDS": _int("SWEEP_STALE_SECONDS", 900),
        "MAIL_URL": os.environ.get("MAIL_URL") or None,
        "MAIL_FROM": os.environ.get("MAIL_FROM", "Occlusa <no-reply@occlusa.local>"),
        "MAIL_OUTBOX": str(instance / "outbox"),
        "PUBLIC_URL": os.environ.get("PUBLIC_URL", "http://127.0.0.1:5000"),
        # Sessions and cookies: Secure everywhere but a local run over plain HTTP.
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _bool(os.environ.get("COOKIE_SECURE"), production),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _bool(os.environ.get("COOKIE_SECURE"), production),
        "REMEMBER_COOKIE_DURATION": 60 * 60 * 24 * 30,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        # How many proxies (load balancer, nginx) stand in front and append to X-Forwarded-For:
        # the client's address is the one the outermost of them saw. 0: exposed directly.
        "TRUSTED_PROXY_HOPS": _int("TRUSTED_PROXY_HOPS", 0),
        # Requests: uploads of scans stream through files/ in chunks, so a request stays small.
        "MAX_CONTENT_LENGTH": _int("MAX_CONTENT_LENGTH", 64 * 1024 * 1024),
        "WTF_CSRF_TIME_LIMIT": None,
        # Rate limits: Redis when configured so every web server counts together.
        "RATELIMIT_STORAGE_URI": redis_url or "memory://",
        "RATELIMIT_ENABLED": _bool(os.environ.get("RATELIMIT_ENABLED"), True),
        "RATELIMIT_LOGIN": os.environ.get("RATELIMIT_LOGIN", "10 per minute;50 per hour"),
        "RATELIMIT_SIGNUP": os.environ.get("RATELIMIT_SIGNUP", "5 per minute;30 per hour"),
        "RATELIMIT_RESET": os.environ.get("RATELIMIT_RESET", "5 per minute;20 per hour"),
        "RATELIMIT_LINK": os.environ.get("RATELIMIT_LINK", "60 per minute"),
        "RATELIMIT_LINK_PASSWORD": os.environ.get("RATELIMIT_LINK_PASSWORD", "5 per minute;20 per hour"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Languages.
        "LANGUAGES": ["en", "fr"],
        "BABEL_DEFAULT_LOCALE": "en",
        "BABEL_TRANSLATION_DIRECTORIES": ";".join(translation_dirs),
        # Tokens sent by mail.
        "CONFIRM_EMAIL_MAX_AGE": _int("CONFIRM_EMAIL_MAX_AGE", 3 * 24 * 3600),
        "RESET_PASSWORD_MAX_AGE": _int("RESET_PASSWORD_MAX_AGE", 2 * 3600),
        # Files.
        "STORAGE_URL": os.environ.get("STORAGE_URL") or f"file://{instance / 'storage'}",
        "UPLOAD_LIMIT_BYTES": _int("UPLOAD_LIMIT_BYTES", 2_000_000_000),
        "SHARE_LINK_DAYS": _int("SHARE_LINK_DAYS", 7),
        # A recipient's complete download of patient data is final after this (retries until then).
        "PATIENT_FILE_GRACE_HOURS": _int("PATIENT_FILE_GRACE_HOURS", 24),
        # Payments.
        "STRIPE_SECRET_KEY": os.environ.get("STRIPE_SECRET_KEY") or None,
        "STRIPE_PUBLISHABLE_KEY": os.environ.get("STRIPE_PUBLISHABLE_KEY") or None,
        "STRIPE_WEBHOOK_SECRET": os.environ.get("STRIPE_WEBHOOK_SECRET") or None,
        "STRIPE_API_BASE": os.environ.get("STRIPE_API_BASE") or None,
        # A Stripe call without an answer after this long may still have acted: it is settled later
        # from Stripe's book; an unconfirmed movement not found there is asked again after the wait.
        "STRIPE_TIMEOUT_SECONDS": _int("STRIPE_TIMEOUT_SECONDS", 30),
        "PAYMENT_RETRY_AFTER_SECONDS": _int("PAYMENT_RETRY_AFTER_SECONDS", 600),
        "CURRENCY": "usd",
        # Invoices: the platform's legal details (printed on its commission invoices and as the
        # marketplace on every invoice) and the VAT rate table (payments/vat.py applies the rules).
        "PLATFORM_LEGAL_NAME": os.environ.get("PLATFORM_LEGAL_NAME", "Occlusa SAS"),
        # Address lines separated by ";".
        "PLATFORM_ADDRESS": os.environ.get("PLATFORM_ADDRESS", "12 rue des Dentellières;75002 Paris"),
        "PLATFORM_COUNTRY": os.environ.get("PLATFORM_COUNTRY", "FR"),
        "PLATFORM_VAT_NUMBER": os.environ.get("PLATFORM_VAT_NUMBER", "FR65912345675"),
        "PLATFORM_REGISTRATION": os.environ.get(
            "PLATFORM_REGISTRATION", "SAS au capital de 10 000 € · RCS Paris 912 345 675"
        ),
        "PLATFORM_BILLING_EMAIL": os.environ.get("PLATFORM_BILLING_EMAIL", "billing@occlusa.local"),
        "VAT_RATES": vat_rates(os.environ.get("VAT_RATES", EU_VAT_RATES)),
        # Case process deadlines (days).
        "ACCEPT_WITHIN_DAYS": _int("ACCEPT_WITHIN_DAYS", 5),
        "AUTO_COMPLETE_DAYS": _int("AUTO_COMPLETE_DAYS", 30),
        # The designer is reminded this long before a case's due date (cases/deadlines.py).
        "DUE_REMINDER_HOURS": _int("DUE_REMINDER_HOURS", 24),
        "PRO_MIN_REVIEWS": _int("PRO_MIN_REVIEWS", 3),
        # Captured money must leave escrow well inside Stripe's 90 days (README, "Escrow deadlines").
        "DELIVERY_GRACE_DAYS": _int("DELIVERY_GRACE_DAYS", 21),
        "UNDELIVERED_LIMIT_DAYS": _int("UNDELIVERED_LIMIT_DAYS", 45),
        "ESCROW_RELEASE_DAYS": _int("ESCROW_RELEASE_DAYS", 75),
        # Monthly contracts: days after a month's end to dispute its cases before it is paid out,
        # and days a month may stay unpaid (declined, or waiting for the client's confirmation)
        # before the contract is cancelled.
        "CONTRACT_REVIEW_DAYS": _int("CONTRACT_REVIEW_DAYS", 14),
        "CONTRACT_PAYMENT_GRACE_DAYS": _int("CONTRACT_PAYMENT_GRACE_DAYS", 7),
        "ESCROW_LIMIT_DAYS": _int("ESCROW_LIMIT_DAYS", 90),
        "DISPUTE_ANSWER_DAYS": _int("DISPUTE_ANSWER_DAYS", 5),
        "DISPUTE_ESCALATE_DAYS": _int("DISPUTE_ESCALATE_DAYS", 10),
        "RULING_SECOND_AGENT_ABOVE_CENTS": _int("RULING_SECOND_AGENT_ABOVE_CENTS", 50_000),
        # Back office.
        "KYC_ABANDON_DAYS": _int("KYC_ABANDON_DAYS", 30),
        "KYC_MAX_BYTES": _int("KYC_MAX_BYTES", 10 * 1024 * 1024),
        "REVIEW_CLAIM_MINUTES": _int("REVIEW_CLAIM_MINUTES", 30),
        # Service levels of the back-office queues (hours from submission to decision); an item is
        # "due soon" in the last QUEUE_DUE_SOON_PERCENT of its time. Disputes keep their own deadlines.
        "QUEUE_SERVICE_HOURS": {
            "profile": _int("SLA_PROFILE_HOURS", 24),
            "listing": _int("SLA_LISTING_HOURS", 24),
            "verification": _int("SLA_VERIFICATION_HOURS", 48),
            "violation": _int("SLA_VIOLATION_HOURS", 12),
            "ticket": _int("SLA_TICKET_HOURS", 24),
            "post": _int("SLA_POST_HOURS", 24),
        },
        "QUEUE_DUE_SOON_PERCENT": _int("QUEUE_DUE_SOON_PERCENT", 25),
        # The share of each staff member's decisions a second staff member reviews (backoffice/quality.py).
        "QUALITY_SAMPLE_PERCENT": _int("QUALITY_SAMPLE_PERCENT", 5),
        "RATELIMIT_STAFF_CODE": os.environ.get("RATELIMIT_STAFF_CODE", "5 per minute;20 per hour"),
        # Violations: attempts of one account in one thread, each within this many hours of the last,
        # are one item; strikes count for STRIKE_EXPIRY_DAYS; at STRIKES_SUGGEST_SUSPEND active
        # strikes the group page suggests suspending rather than warning.
        "VIOLATION_GROUP_HOURS": _int("VIOLATION_GROUP_HOURS", 24),
        "VIOLATION_CONTEXT_MESSAGES": _int("VIOLATION_CONTEXT_MESSAGES", 3),
        "STRIKE_EXPIRY_DAYS": _int("STRIKE_EXPIRY_DAYS", 90),
        "STRIKES_SUGGEST_SUSPEND": _int("STRIKES_SUGGEST_SUSPEND", 3),
        "RATELIMIT_APPEAL": os.environ.get("RATELIMIT_APPEAL", "5 per minute;20 per hour"),
        # Help centre and legal pages.
        "RATELIMIT_HELP_VOTE": os.environ.get("RATELIMIT_HELP_VOTE", "10 per minute;60 per hour"),
        "RATELIMIT_DATA_EXPORT": os.environ.get("RATELIMIT_DATA_EXPORT", "3 per hour;10 per day"),
        # A data export ZIP can be downloaded this long, then its bytes are deleted by the sweep.
        "EXPORT_KEEP_DAYS": _int("EXPORT_KEEP_DAYS", 7),
        # Invoices and ledger entries are kept this long after the year they belong to ends
        # (French Commercial Code, art. L123-22), also for a closed account.
        "ACCOUNTING_RETENTION_YEARS": _int("ACCOUNTING_RETENTION_YEARS", 10),
        # The operator of the platform, shown in the legal notice and the legal documents.
        # The operator's name, address, VAT number and registration are the PLATFORM_* settings
        # above (one identity on invoices and legal pages); these complete the legal notice.
        "OPERATOR_LEGAL_FORM": os.environ.get("OPERATOR_LEGAL_FORM", "Société par actions simplifiée (SAS)"),
        "OPERATOR_EMAIL": os.environ.get("OPERATOR_EMAIL", "legal@occlusa.local"),
        # Without these, the operator is named as publication director and as its own host.
        "OPERATOR_DIRECTOR": os.environ.get("OPERATOR_DIRECTOR", os.environ.get("PLATFORM_LEGAL_NAME", "Occlusa SAS")),
        "HOST_NAME": os.environ.get("HOST_NAME", os.environ.get("PLATFORM_LEGAL_NAME", "Occlusa SAS")),
        "HOST_ADDRESS": os.environ.get(
            "HOST_ADDRESS", os.environ.get("PLATFORM_ADDRESS", "12 rue des Dentellières;75002 Paris")
        ),
        # Support desk: contact-form posts per address; a visitor's tickets waiting for their mailed link per
        # e-mail address (a day); how long a visitor's signed ticket link opens the ticket.
        "RATELIMIT_SUPPORT": os.environ.get("RATELIMIT_SUPPORT", "5 per minute;30 per hour"),
        "SUPPORT_UNCONFIRMED_PER_EMAIL": _int("SUPPORT_UNCONFIRMED_PER_EMAIL", 3),
        "SUPPORT_LINK_DAYS": _int("SUPPORT_LINK_DAYS", 90),
        # Community: the posts of an account younger than this wait for a moderator until one is
        # published; posts, and comments and reports, per address.
        "COMMUNITY_NEW_ACCOUNT_DAYS": _int("COMMUNITY_NEW_ACCOUNT_DAYS", 30),
        "RATELIMIT_COMMUNITY_POST": os.environ.get("RATELIMIT_COMMUNITY_POST", "5 per minute;30 per day"),
        "RATELIMIT_COMMUNITY_COMMENT": os.environ.get("RATELIMIT_COMMUNITY_COMMENT", "10 per minute;200 per day"),
        # Web push.
        "VAPID_PUBLIC_KEY": os.environ.get("VAPID_PUBLIC_KEY") or None,
        "VAPID_PRIVATE_KEY": os.environ.get("VAPID_PRIVATE_KEY") or None,
        "VAPID_SUBJECT": os.environ.get("VAPID_SUBJECT", "mailto:support@occlusa.local"),
        # Contact filter: our own domains are not off-platform links.
        "PLATFORM_DOMAINS": [
            d.strip()
            for d in os.environ.get("PLATFORM_DOMAINS", "occlusa.com,occlusa.local,127.0.0.1,localhost").split(",")
            if d.strip()
        ],
    }
