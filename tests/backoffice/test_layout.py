"""The back-office menu is kept per roles, language and page (backoffice.layout): each staff role
still sees exactly the entries of the views it may open, in its language, whoever was served
before it; and the kept menu is what Flask-Admin renders afresh."""

from __future__ import annotations

import re

import pytest
from flask import url_for
from flask_admin import BaseView

from backoffice import layout
from backoffice.views import StaffAccess
from extensions import commit, db
from models.accounts import StaffRole, StaffRoleGrant
from tests.backoffice.factories import make_staff, staff_login

MAIN_MENU = re.compile(
    r'<ul class="nav navbar-nav mr-auto">(.*?)</ul>\s*<ul class="nav navbar-nav navbar-right">', re.S
)


def _menu(client, url="/backoffice/", lang="en") -> str:
    response = client.get(url, headers={"Accept-Language": lang})
    assert response.status_code == 200
    return MAIN_MENU.search(response.get_data(as_text=True)).group(1)


def _links(html: str) -> set[str]:
    return set(re.findall(r'href="(/backoffice[^"]*)"', html))


def _expected(app, *held: StaffRole) -> set[str]:
    """The views these roles open, from each view's own roles (admin holds them all)."""
    admin = app.extensions["admin"][0]
    with app.test_request_context():
        return {
            view.get_url(f"{view.endpoint}.{view._default_view}")
            for view in admin._views
            if StaffRole.admin in held or set(view.roles) & set(held)
        }


@pytest.fixture(autouse=True)
def _fresh_menus():
    layout._rendered.clear()
    yield
    layout._rendered.clear()


ROLE_SETS = [(role,) for role in StaffRole] + [(StaffRole.moderator, StaffRole.verifier)]


def test_each_role_sees_the_entries_of_the_views_it_may_open_whoever_came_before(app):
    seen = []
    for held in ROLE_SETS:  # one process, one cache: each set of roles after the others
        client = app.test_client()
        staff_login(client, make_staff(*held))
        links = _links(_menu(client))
        assert links == _expected(app, *held), held
        seen.append(links)
    assert len({frozenset(links) for links in seen}) == len(ROLE_SETS)  # no two role sets alike


def test_the_menu_speaks_the_page_language_and_marks_the_page_it_is_on(app, client):
    staff_login(client, make_staff(StaffRole.moderator))
    english, french = _menu(client, lang="en"), _menu(client, lang="fr")
    assert "Profiles" in english and "Profils" in french and english != french
    on_profiles = _menu(client, "/backoffice/reviews/profiles/")
    assert re.search(
        r'<li class="active dropdown">\s*<a class="dropdown-toggle nav-link"[^>]*>(\s|<!--.*?-->)*Review', on_profiles
    )
    assert re.search(r'class="dropdown-item active\s*"\s*href="/backoffice/reviews/profiles/"', on_profiles)
    assert "dropdown-item active" not in _menu(client)  # the dashboard marks no review entry


def test_a_new_role_shows_at_the_next_page(app, client):
    staff = make_staff(StaffRole.verifier)
    staff_login(client, staff)
    assert "/backoffice/reviews/profiles/" not in _links(_menu(client))
    db.session.add(StaffRoleGrant(user_id=staff.id, role=StaffRole.moderator))
    commit()
    assert _links(_menu(client)) == _expected(app, StaffRole.verifier, StaffRole.moderator)


def test_the_kept_menu_is_what_flask_admin_renders_afresh(app, client):
    staff_login(client, make_staff(StaffRole.resolution_agent))
    kept = [_menu(client, url, lang) for url in ("/backoffice/", "/backoffice/resolution/") for lang in ("en", "fr")]
    assert len(layout._rendered) == 4
    layout._rendered.clear()
    assert kept == [
        _menu(client, url, lang) for url in ("/backoffice/", "/backoffice/resolution/") for lang in ("en", "fr")
    ]


def test_every_view_is_guarded_by_the_role_check_the_kept_menu_relies_on(app):
    for view in app.extensions["admin"][0]._views:
        assert type(view).is_accessible is StaffAccess.is_accessible
        assert type(view).is_visible is BaseView.is_visible


def test_the_layout_links_its_files_under_the_root_the_request_came_through(app, client):
    staff_login(client, make_staff(StaffRole.moderator))
    plain = client.get("/backoffice/").get_data(as_text=True)
    mounted = client.get("/backoffice/", base_url="http://localhost/ops").get_data(as_text=True)
    with app.test_request_context():
        jquery = url_for("backoffice.static", filename="vendor/jquery.min.js", v="3.5.1")
    assert f'src="{jquery}"' in plain and f'src="/ops{jquery}"' in mounted
    assert 'href="/ops/backoffice/reviews/profiles/"' in mounted  # the kept menu too
    assert 'href="/ops/backoffice/reviews/profiles/"' not in client.get("/backoffice/").get_data(as_text=True)


def test_the_kept_stylesheets_and_scripts_carry_each_response_s_own_nonce(client):
    staff_login(client, make_staff(StaffRole.moderator))
    seen = set()
    for url in ("/backoffice/reviews/profiles/", "/backoffice/reviews/profiles/", "/backoffice/violations/"):
        response = client.get(url)
        nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"]).group(1)
        html = response.get_data(as_text=True)
        tags = re.findall(r"<(?:script|link)\b[^>]*>", html)
        assert len(tags) > 12 and all(f'nonce="{nonce}"' in tag for tag in tags), url
        assert "jquery.min.js" in html and "bootstrap.min.css" in html and "\x00" not in html
        seen.add(nonce)
    assert len(seen) == 3  # a new nonce on every response, never a kept one
