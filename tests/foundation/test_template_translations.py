"""Templates translate in the request's language, and a locale forced inside the request (a mail
in its reader's language) is used for what is rendered under it, then the request's again."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale, refresh


def test_a_forced_locale_inside_a_french_request_renders_in_that_locale_then_french_again(app):
    page = "{{ _('Previous') }}"
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        assert render_template_string(page) == "Précédent"
        with force_locale("en"):
            assert render_template_string(page) == "Previous"
        assert render_template_string(page) == "Précédent"


def test_a_language_changed_during_the_request_is_the_one_rendered_after(app):
    page = "{{ _('Previous') }}"
    with app.test_request_context(headers={"Accept-Language": "fr"}) as context:
        assert render_template_string(page) == "Précédent"
        context.session["lang"] = "en"  # the reader picks English; the app refreshes the locale
        refresh()
        assert render_template_string(page) == "Previous"


def test_labels_kept_per_language_read_in_each_readers_language_in_turn(app):
    # The case state and mesh warning labels are translated once per language and kept: French
    # after English (and a mail forced to English in between) still reads its own language.
    page = "{{ case_state_label(CaseState.delivered) }} / {{ mesh_warnings(stored)|join }}"
    stored = type("Stored", (), {"mesh": {"warnings": ["no_triangles"]}})()
    english = "Delivered / The file contains no triangles."
    french = "Livré / Le fichier ne contient aucun triangle."
    with app.test_request_context() as context:
        for language, expected in (("en", english), ("fr", french), ("en", english), ("fr", french)):
            context.session["lang"] = language
            refresh()
            assert render_template_string(page, stored=stored) == expected
            with force_locale("en"):
                assert render_template_string(page, stored=stored) == english
            assert render_template_string(page, stored=stored) == expected
