"""The main menu and the settings tabs: each entry appears when the user may use it."""

from __future__ import annotations

from flask_login import current_user
from markupsafe import Markup

from extensions import translate


def _l(label: str) -> str:
    """Marks a label for the catalogue (pybabel extract -k _l); main_nav and settings_nav translate
    it for each page through the request's catalogue, looked up once (extensions.translate). The
    translation is markup, as flask_babel's lazy strings were: the catalogue is ours, never escaped."""
    return label


# (endpoint, label, who sees it: "all", "user", "client", "designer")
MAIN_NAV = [
    ("dashboard.home", _l("Home"), "user"),
    ("catalogue.search", _l("Find a designer"), "all"),
    ("catalogue.favourites", _l("Favourites"), "client"),
    ("cases.my_cases", _l("My cases"), "user"),
    ("messages.inbox", _l("Messages"), "user"),
    ("community.index", _l("Community"), "user"),
    ("files.my_files", _l("Files"), "user"),
    ("listings.mine", _l("My listings"), "designer"),
]


def main_nav() -> list[tuple[str, str]]:
    signed_in = current_user.is_authenticated
    allowed = {
        "all": True,
        "user": signed_in,
        "client": signed_in and current_user.is_client,
        "designer": signed_in and current_user.is_designer,
    }
    return [(e, Markup(translate(label))) for e, label, who in MAIN_NAV if allowed[who]]


# Settings tabs: the designer's appear to designers only.
SETTINGS_NAV = [
    ("accounts.settings", _l("Account"), "user"),
    ("profiles.edit", _l("Designer profile"), "designer"),
    ("payments.settings", _l("Payments"), "designer"),
    ("payments.billing_details", _l("Billing"), "user"),
    ("payments.transactions", _l("Transactions"), "user"),
    ("support.my_tickets", _l("Support tickets"), "user"),
    ("teams.settings", _l("Team"), "user"),
    ("notifications.settings", _l("Notifications"), "user"),
    ("legal.your_data", _l("Your data"), "user"),
]


def settings_nav() -> list[tuple[str, str]]:
    designer = current_user.is_authenticated and current_user.is_designer
    return [(e, Markup(translate(label))) for e, label, who in SETTINGS_NAV if who == "user" or designer]
