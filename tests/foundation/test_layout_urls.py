"""The layout's fixed links (layout_url): built once per application root, the same as url_for's."""

from flask import render_template_string, url_for


def test_layout_urls_are_url_for_per_application_root(app):
    template = "{{ layout_url('static', filename='css/app.css') }} {{ layout_url('legal.show', name='terms') }}"
    for root in ("", "/market", ""):
        with app.test_request_context("/", base_url=f"http://localhost{root}"):
            expected = f"{url_for('static', filename='css/app.css')} {url_for('legal.show', name='terms')}"
            assert render_template_string(template) == expected
            assert expected.startswith(f"{root}/static/")
