"""Command-line entry points: `flask --app wsgi <command>`."""

from __future__ import annotations

import click
from flask import Flask

from accounts.operations import find_by_email, grant_staff_roles, normalise_email
from demo.seed import seed_all
from disputes.evidence_pack import verify_pack
from extensions import commit, db
from files.key_rotation import rotate_files_key
from health import deep_checks, healthy
from jobs.sweep import run_sweeps
from models.accounts import StaffRole, User
from models.types import utcnow
from passwords import hash_password, is_common


def register_cli(app: Flask) -> None:
    @app.cli.command("create-staff")
    @click.argument("email")
    @click.option(
        "--role",
        "roles",
        multiple=True,
        required=True,
        type=click.Choice(["moderator", "verifier", "resolution_agent", "support", "admin"]),
        help="Staff role to grant (repeat for several).",
    )
    @click.option("--name", default=None, help="Display name for a new account.")
    @click.password_option(help="Password for a new account (asked for when not given).", prompt_required=False)
    def create_staff(email: str, roles: tuple[str, ...], name: str | None, password: str | None):
        """Create a staff account, or grant roles to an existing one."""
        user = find_by_email(email)
        if user is None:
            if not password:
                password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
            user = _new_staff(email, password, name)
        grant_staff_roles(user, [StaffRole(r) for r in roles], actor=None)
        commit()
        click.echo(f"{user.email}: {', '.join(sorted(r.value for r in user.staff_roles))}")

    @app.cli.command("seed-demo")
    def seed_demo():
        """Create or refresh the demo data (idempotent). Refused in production."""
        if app.config["PRODUCTION"]:
            # The demo's staff accounts share the password and second factor printed in the README.
            raise click.ClickException(
                "seed-demo is refused under APP_ENV=production: the demo accounts' "
                "password and second factor are public"
            )

        for line in seed_all():
            click.echo(line)

    @app.cli.command("sweep")
    def sweep():
        """Apply every deadline that is due now (what the worker runs each minute)."""
        for target, count in run_sweeps().items():
            click.echo(f"{target}: {'failed' if count < 0 else count}")

    @app.cli.command("check")
    def check():
        """Check every part of the deployment: database, migrations, storage, Redis, a worker's
        heartbeat, the scheduler and the sweeps. Exits 1 when any is in error."""
        checks = deep_checks()
        width = max(len(name) for name in checks)
        for name, result in checks.items():
            click.echo(f"{name.ljust(width)}  {result}")
        if not healthy(checks):
            raise SystemExit(1)

    @app.cli.command("verify-evidence-pack")
    @click.argument("pdf", type=click.File("rb"))
    def verify_evidence_pack(pdf):
        """Check a copy of a dispute's evidence pack: its pages' hash chain and the audit row of its export."""
        check = verify_pack(pdf.read())
        for problem in check.problems:
            click.echo(problem, err=True)
        if not check.valid:
            raise click.ClickException(f"not a valid evidence pack (fingerprint {check.fingerprint or 'unknown'})")
        entry = check.audit
        click.echo(
            f"valid: {check.pages} pages, fingerprint {check.fingerprint}, exported "
            f"{entry.at:%Y-%m-%d %H:%M:%S} UTC by {entry.actor_id or 'the platform'} "
            f"({entry.object_type} {entry.object_id})"
        )

    @app.cli.command("rotate-files-key")
    @click.option(
        "--batch",
        "batch_size",
        default=500,
        show_default=True,
        type=click.IntRange(1),
        help="Rows re-wrapped and committed together.",
    )
    def rotate_files_key_command(batch_size: int):
        """Re-wrap every file's key under FILES_MASTER_KEY (the files' bytes are not touched).

        Safe to interrupt and to run again. Exits with status 1 while some keys are wrapped
        under a master key missing from FILES_MASTER_KEY / FILES_MASTER_KEYS_OLD.
        """
        missing = False
        for table, count in rotate_files_key(batch_size).items():
            click.echo(f"{table}: {count.rewrapped} re-wrapped, {count.already_current} already under the current key")
            for key_id, rows in count.unknown_keys.items():
                missing = True
                click.echo(f"{table}: {rows} under master key {key_id}, which is not configured", err=True)
        if missing:
            raise SystemExit(1)


def _new_staff(email: str, password: str, name: str | None):
    if is_common(password):
        raise click.ClickException(
            "This password is one of the most common ones, tried first by anyone guessing: choose another"
        )
    user = User(
        email=normalise_email(email),
        password_hash=hash_password(password),
        display_name=name or email.split("@")[0],
        is_client=False,
        is_designer=False,
        email_confirmed_at=utcnow(),
    )
    db.session.add(user)
    db.session.flush()
    return user
