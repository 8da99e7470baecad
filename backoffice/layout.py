"""The parts of the back-office layout that depend on few things, rendered once and reused.

The menu, rendered once per staff roles, language and page.

Flask-Admin's layout walks every view on every request and asks each one `is_accessible()`:
twenty views, four reads of the signed-in user each, then a template macro per entry. What
it produces depends on nothing else than (checked by `check_menu_inputs` when the back office
is built):

- which views are accessible: every view's `is_accessible` is `StaffAccess.is_accessible`,
  a function of the viewer's staff roles and whether they hold their staff power at all
  (`is_staff_with`); no view overrides `is_visible`, and no menu link is registered;
- the language of the entry names (lazy strings);
- which entry is marked active: the page's view;
- the URLs, which depend on the application root the request came through.

So the rendered HTML is kept per (power, roles, language, view, root). It is Flask-Admin's own
`layout.menu()` macro that renders it (backoffice/_menu.html), so the menu reads as before;
each page's own `is_accessible` check (and the second-factor guard) are untouched.

Flask-Admin's stylesheet and script tags (`static_block`): a dozen macro calls and URLs per page
whose output depends only on the view (its extra_css / extra_js), the application root, and the
response's CSP nonce, which is put back into the kept HTML on every page.
"""

from __future__ import annotations

from flask import render_template, request
from flask_admin import Admin, BaseView
from flask_babel import get_locale
from flask_login import current_user
from markupsafe import Markup

from backoffice.permissions import is_staff_with
from backoffice.views import StaffAccess
from models.accounts import StaffRole

# (staff power, roles held, language, view endpoint, application root) → the menu's HTML.
# Bounded: 2 × 2^4 role sets × the languages × the views × the roots an app is mounted at.
_rendered: dict[tuple, Markup] = {}
# (block, view endpoint, application root) → the block's HTML with the nonce marked.
_blocks: dict[tuple, str] = {}
NONCE = "\x00nonce\x00"  # where the response's nonce goes (no template writes a NUL)


def check_menu_inputs(admin: Admin) -> None:
    """Refuse to build a back office whose menu would depend on more than `menu_key` reads."""
    for view in admin._views:
        if (
            type(view).is_accessible is not StaffAccess.is_accessible
            or type(view).is_visible is not BaseView.is_visible
        ):
            raise TypeError(f"{type(view).__name__}: the cached back-office menu assumes StaffAccess's role check")
    if admin.menu_links():
        raise TypeError("the cached back-office menu has no menu links")


def menu_key(admin_view) -> tuple:
    """What the menu a viewer sees is a function of (see the module's docstring)."""
    power = is_staff_with(*StaffRole)
    roles = tuple(sorted(role.value for role in current_user.staff_roles)) if power else ()
    return power, roles, str(get_locale()), admin_view.endpoint, request.script_root


def staff_menu(admin_view) -> Markup:
    """The main menu's HTML for this viewer and page: rendered by Flask-Admin's macro on the
    first request with this key, then reused."""
    key = menu_key(admin_view)
    html = _rendered.get(key)
    if html is None:
        html = _rendered[key] = Markup(render_template("backoffice/_menu.html", admin_view=admin_view))
    return html


def static_block(name: str, admin_view, render) -> Markup:
    """Flask-Admin's block `name` (head_css, tail_js: its stylesheets and scripts), `render` being
    the block's `super`: rendered on the first page of this view and root, then reused with this
    response's nonce."""
    nonce = admin_view.admin.csp_nonce_generator()
    key = (name, admin_view.endpoint, request.script_root)
    html = _blocks.get(key)
    if html is None:
        html = _blocks[key] = str(render()).replace(nonce, NONCE)
    return Markup(html.replace(NONCE, nonce))
