"""Putting a domain error back on the form that caused it."""

from __future__ import annotations

from flask import flash
from flask_wtf import FlaskForm

from errors import DomainError


def show_domain_error(form: FlaskForm, exc: DomainError) -> None:
    """Attach the error to its field when the form has it, else flash it above the form."""
    field = getattr(form, exc.field, None) if exc.field else None
    if field is not None:
        field.errors = [*field.errors, exc.message]
    else:
        flash(exc.message, "error")
