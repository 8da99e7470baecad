"""Find a designer: full text, filters, ordering (Pro first), pages and a fixed number of queries."""

from __future__ import annotations

import contextlib

import pytest

from extensions import db
from listings.pricing import Tier
from listings.search import PAGE_SIZE, SearchQuery, matching_ids
from profiles import operations as profile_ops
from tests.catalogue.factories import make_designer, make_listing
from tests.factories import make_user
from tests.statements import statements as _statements


def _words(word: str) -> str:
    return (
        f"A careful {word} design service: send the scans and the prescription, receive the STL and the "
        f"project file, with the revisions the listing includes."
    )


@pytest.fixture
def catalogue():
    """Three designers, five listings, with distinct words, prices, turnarounds and ratings."""
    ana = make_designer(name="Ana", skills=("zirconia", "anterior aesthetics"), software=("exocad",))
    ben = make_designer(name="Ben", skills=("implant bars",), software=("3shape",))
    cy = make_designer(name="Cy", skills=("aligners",), software=("blender_for_dental",))
    for _ in range(3):
        profile_ops.record_review_score(ben.id, 5)  # Ben is Pro
    for stars in (5, 4, 4):
        profile_ops.record_review_score(cy.id, stars)  # Cy: 4.33
    listings = {
        "ana_crowns": make_listing(
            ana,
            title="Zirconia crowns with anatomic contours",
            tiers=[Tier(1, 900)],
            turnaround_days=1,
            software=["exocad"],
            description=_words("monolithic"),
        ),
        "ana_veneers": make_listing(
            ana,
            title="Veneers and smile design mock-ups",
            category="veneers",
            subcategory="veneer",
            tiers=[Tier(1, 1500)],
            turnaround_days=3,
            software=["exocad"],
            description=_words("feldspathic"),
        ),
        "ben_bars": make_listing(
            ben,
            title="Implant bars for All-on-4 cases",
            category="implants",
            subcategory="implant_bar",
            tiers=[Tier(1, 4000)],
            turnaround_days=4,
            software=["3shape"],
            description=_words("titanium-free"),
        ),
        "ben_crowns": make_listing(
            ben,
            title="Screw-retained crowns on implants",
            category="implants",
            subcategory="screw_retained_crown",
            tiers=[Tier(1, 1200), Tier(10, 1000)],
            turnaround_days=2,
            software=["3shape"],
            description=_words("multi-unit"),
        ),
        "cy_aligners": make_listing(
            cy,
            title="Aligner treatment planning",
            category="orthodontics",
            subcategory="aligner_planning",
            tiers=[Tier(1, 2500)],
            turnaround_days=5,
            software=["blender_for_dental"],
            description=_words("staging"),
        ),
    }
    return {name: listing.id for name, listing in listings.items()} | {"cy": cy.id}


def _ids(catalogue, *names):
    return sorted(catalogue[n] for n in names)


@pytest.mark.parametrize(
    "query, expected",
    [
        (SearchQuery(text="crown"), ["ana_crowns", "ben_crowns"]),  # a word's start finds "crowns"
        (SearchQuery(text="ZIRCONIA crowns"), ["ana_crowns"]),  # every word must appear
        (SearchQuery(text="all-on-4"), ["ben_bars"]),  # hyphenated words
        (SearchQuery(text="aesthetics"), ["ana_crowns", "ana_veneers"]),  # the designer's approved skills
        (SearchQuery(text="blender"), ["cy_aligners"]),  # software names
        (SearchQuery(text="titanium"), ["ben_bars"]),  # "titanium-free" in the description
        (SearchQuery(text="cobalt"), []),
        (SearchQuery(text="'; drop table listings; --"), []),  # odd input is just words
        (SearchQuery(category="implants"), ["ben_bars", "ben_crowns"]),
        (SearchQuery(category="implants", subcategory="implant_bar"), ["ben_bars"]),
        (SearchQuery(software="exocad"), ["ana_crowns", "ana_veneers"]),
        (SearchQuery(min_price_cents=1000, max_price_cents=2500), ["ana_veneers", "ben_crowns", "cy_aligners"]),
        (SearchQuery(max_turnaround_days=2), ["ana_crowns", "ben_crowns"]),
        (SearchQuery(min_rating=4.5), ["ben_bars", "ben_crowns"]),
        (SearchQuery(min_rating=4.3), ["ben_bars", "ben_crowns", "cy_aligners"]),
        (SearchQuery(pro=True), ["ben_bars", "ben_crowns"]),
        (SearchQuery(verified=True, text="crowns", software="3shape"), ["ben_crowns"]),
    ],
)
def test_filters_and_full_text_find_the_same_ids_on_every_database(catalogue, query, expected):
    # CI runs this file on SQLite (FTS5) and PostgreSQL (tsvector + GIN): same data, same ids.
    assert matching_ids(query, None) == _ids(catalogue, *expected)


def test_available_now_leaves_out_full_designers(catalogue):
    profile = profile_ops.profile_for(db.session.get(type(make_user()), catalogue["cy"]))
    profile.unavailable = True
    assert catalogue["cy_aligners"] not in matching_ids(SearchQuery(available=True), None)
    assert catalogue["cy_aligners"] in matching_ids(SearchQuery(), None)


def _titles(client, query: str) -> list[str]:
    import re

    page = client.get("/find" + query).get_data(as_text=True)
    return re.findall(r'class="listing-title"><a href="/listings/\d+">([^<]+)</a>', page)


def test_pro_designers_rank_first_whatever_the_sort(client, catalogue):
    by_price = _titles(client, "?sort=price")
    assert by_price[:2] == ["Screw-retained crowns on implants", "Implant bars for All-on-4 cases"]
    assert by_price[2:] == [
        "Zirconia crowns with anatomic contours",
        "Veneers and smile design mock-ups",
        "Aligner treatment planning",
    ]
    by_turnaround = _titles(client, "?sort=turnaround")
    assert by_turnaround[:2] == ["Screw-retained crowns on implants", "Implant bars for All-on-4 cases"]
    assert by_turnaround[2] == "Zirconia crowns with anatomic contours"
    by_rating = _titles(client, "?sort=rating")
    assert by_rating[2] == "Aligner treatment planning"


def test_cards_show_from_the_lowest_unit_price_and_the_count(client, catalogue):
    page = client.get("/find?category=implants").get_data(as_text=True)
    assert "2 services found" in page
    assert "$10.00" in page and "$12.00" not in page  # "from $10.00" for the 12 → 10 tiers


def test_an_empty_result_says_so_and_offers_to_clear(client, catalogue):
    page = client.get("/find?q=cobalt").get_data(as_text=True)
    assert "0 services found" in page and "No service matches" in page


def test_search_and_listing_pages_run_a_fixed_number_of_queries(client, login):
    buyer = make_user()
    few = [make_listing(make_designer(), title=f"Crown service {n}") for n in range(2)]
    login(buyer)
    with contextlib.nullcontext():
        small_search = _statements(client, "/find?q=crown")
        small_first = _statements(client, "/find")
        small_filtered = _statements(client, "/find?category=crowns&software=exocad&max_price=400&sort=price&pro=y")
        small_listing = _statements(client, f"/listings/{few[0].id}")
    for n in range(PAGE_SIZE):
        designer = make_designer()
        make_listing(designer, title=f"Crown service more {n}")
    assert _statements(client, "/find?q=crown") == small_search
    assert _statements(client, "/find") == small_first
    assert _statements(client, "/find?category=crowns&software=exocad&max_price=400&sort=price&pro=y") == small_filtered
    assert _statements(client, f"/listings/{few[0].id}") == small_listing


def test_pages_of_results(client):
    designer = make_designer()
    categories = [
        ("crowns", "anatomic_crown"),
        ("crowns", "coping"),
        ("crowns", "cutback"),
        ("crowns", "provisional"),
        ("bridges", "anatomic_bridge"),
        ("bridges", "bridge_framework"),
        ("bridges", "maryland"),
        ("inlays_onlays", "inlay"),
        ("inlays_onlays", "onlay"),
        ("inlays_onlays", "endocrown"),
        ("veneers", "veneer"),
        ("veneers", "no_prep_veneer"),
        ("models", "die"),
    ]
    for category, sub in categories:
        make_listing(designer, title=f"Service {category} {sub}", category=category, subcategory=sub)
    first = client.get("/find").get_data(as_text=True)
    assert "13 services found" in first and "Page 1 of 2" in first
    second = client.get("/find?page=2").get_data(as_text=True)
    assert second.count('class="listing-card"') == 1
