"""Search that finds: designer names, the bilingual dental vocabulary, typos, prefixes, and the
filters' messages. The id tables run on SQLite (FTS5) and PostgreSQL (tsvector): same answers."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from extensions import commit, db
from listings import vocabulary
from listings.pricing import Tier
from listings.search import SearchQuery, matching_ids, public_name_words
from tests.catalogue.factories import make_designer, make_listing


def _text(word: str) -> str:
    return f"Careful {word} design: send the scans, receive the STL and the project file, revisions included."


@pytest.fixture
def catalogue():
    kowalski = make_designer(name="Kowalski Dental Studio", skills=("layering",))
    marie = make_designer(name="Marie Dubois", skills=("esthétique",))
    listings = {
        "emax": make_listing(
            kowalski, title="IPS e.max crowns, anatomic", tiers=[Tier(1, 900)], description=_text("lithium disilicate")
        ),
        "couronne": make_listing(
            marie, title="Couronnes zircone monolithiques", tiers=[Tier(1, 1100)], description=_text("couronne")
        ),
        "bridge": make_listing(
            kowalski,
            title="Zirconia bridges up to 6 units",
            category="bridges",
            subcategory="anatomic_bridge",
            tiers=[Tier(1, 1200)],
            description=_text("pontic"),
        ),
        "splint": make_listing(
            marie,
            title="Gouttière occlusale (night guard)",
            category="night_guards",
            subcategory="night_guard",
            tiers=[Tier(1, 2000)],
            description=_text("bruxisme"),
        ),
        "inlay": make_listing(
            marie,
            title="Inlays, onlays and endocrowns",
            category="inlays_onlays",
            subcategory="inlay",
            tiers=[Tier(1, 800)],
            description=_text("ceramic"),
        ),
    }
    return {name: listing.id for name, listing in listings.items()}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Kowalski", ["emax", "bridge"]),  # a designer's name
        ("kowal", ["emax", "bridge"]),  # … and its start
        ("dental studio", ["emax", "bridge"]),  # a company name is a display name
        ("marie dubois inlay", ["inlay"]),
        ("couronne", ["emax", "couronne"]),  # French finds English and French
        ("crown", ["emax", "couronne"]),
        ("emax", ["emax"]),  # "e.max" written two ways
        ("e.max", ["emax"]),
        ("e-max crown", ["emax"]),
        ("zircone", ["couronne", "bridge"]),
        ("zirconia", ["couronne", "bridge"]),
        ("pont", ["bridge"]),
        ("gouttiere", ["splint"]),  # accents optional
        ("splint", ["splint"]),
        ("night guard", ["splint"]),
        ("onlay", ["inlay"]),
        ("zirconnia", ["couronne", "bridge"]),  # a typo
        ("couronnne", ["emax", "couronne"]),
        ("brigde", ["bridge"]),
        ("gouttières et facettes", []),  # every term must still be there
        ("inlays et onlays", ["inlay"]),  # the category's French label
        ("bruxism", ["splint"]),  # a prefix of "bruxisme"
        ("Kowalsky", ["emax", "bridge"]),  # a mistyped name
        ("Duboys inlay", ["inlay"]),
        ("Kowalsky couronne", ["emax"]),
        ("Kwiatkowski", []),  # no name is that close
    ],
)
def test_search_finds_names_and_dental_words_on_every_database(catalogue, text, expected):
    assert matching_ids(SearchQuery(text=text), None) == sorted(catalogue[n] for n in expected)


def test_only_the_names_of_public_designers_are_typo_candidates(catalogue):
    hidden = make_designer(name="Zbigniew Hidden", skills=("layering",))
    make_listing(hidden, approve=False, title="Crowns not yet approved", tiers=[Tier(1, 900)])
    commit()
    words = public_name_words()
    assert {"kowalski", "dubois", "marie"} <= set(words) and "zbigniew" not in words
    assert matching_ids(SearchQuery(text="Zbigniev"), None) == []


def test_a_changed_display_name_is_searchable(client, login, catalogue):
    from models.accounts import User

    marie = db.session.scalar(sa.select(User).where(User.display_name == "Marie Dubois"))
    login(marie)
    client.post("/account/settings", data={"action": "name", "nm-display_name": "Atelier Lumière"})
    commit()
    assert matching_ids(SearchQuery(text="dubois"), None) == []
    assert matching_ids(SearchQuery(text="atelier lumière"), None) == sorted(
        catalogue[n] for n in ("couronne", "splint", "inlay")
    )


def test_vocabulary_is_data_with_both_languages():
    terms = vocabulary.expand("couronne zircone", max_terms=8)
    assert ("crown",) in terms[0].alternatives and terms[1].alternatives == (("zircon",),)  # finds zirconia too
    # a word being typed is not "corrected" into another one
    assert vocabulary.expand("crow", max_terms=8)[0].alternatives == (("crow",),)


def test_a_minimum_above_the_maximum_is_refused_with_a_message_and_the_query_kept(client, catalogue):
    response = client.get("/find?q=crown&min_price=50&max_price=10")
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The maximum price must be at least the minimum price." in page
    assert 'value="crown"' in page and 'value="50' in page


def test_the_query_is_kept_on_the_results_page(client, catalogue):
    page = client.get("/find?q=couronne+zircone").get_data(as_text=True)
    assert 'value="couronne zircone"' in page and "Couronnes zircone monolithiques" in page
