"""Catalogue pages cached whole for visitors: every change a page shows shows at once, a warm page
costs one statement, and nobody gets another reader's page or token."""

from __future__ import annotations

from datetime import timedelta

import pytest

from cases import process, reviews
from community.operations import approve_post, create_post
from extensions import commit, db
from listings import operations as listing_ops
from listings.pricing import Tier
from models.catalogue_generations import PAGES, SEARCH, current, scopes_written
from models.community import Follow
from moderation.suspension import suspend_account
from profiles import operations as profile_ops
from reputation import figures
from storefront.catalogue import page_cache
from tests.cases.factories import design_file, drive, make_case
from tests.catalogue.factories import draft, make_designer, make_listing, moderator
from tests.factories import login, make_user
from tests.statements import statements as page_statements


def statements(client, url: str) -> int:
    """Statements GET `url` sends on any connection (the generation is read on one of its own)."""
    return page_statements(client, url, every_engine=True)


@pytest.fixture
def shop():
    designer = make_designer(name="Dora")
    listing = make_listing(designer, title="Zirconia crowns by Dora", tiers=[Tier(1, 900)])
    return designer, listing


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _all_pages(client, designer, listing) -> dict[str, str]:
    urls = ("/find", "/find?q=zirconia", f"/listings/{listing.id}", f"/designers/{designer.id}")
    return {url: _page(client, url) for url in urls}


def test_a_warm_page_costs_one_statement_whatever_the_catalogue_holds(client, shop):
    designer, listing = shop
    urls = ("/find", "/find?q=zirconia&sort=price", f"/listings/{listing.id}", f"/designers/{designer.id}")
    for url in urls:
        statements(client, url)  # cold: rendered and kept
    assert [statements(client, url) for url in urls] == [1, 1, 1, 1]
    for n in range(3):
        make_listing(make_designer(), title=f"Zirconia crowns {n}")
    for url in urls:
        statements(client, url)
    assert [statements(client, url) for url in urls] == [1, 1, 1, 1]


def test_the_least_recently_used_pages_go_past_the_size_bound(client, shop, monkeypatch):
    designer, listing = shop
    profile, search = f"/designers/{designer.id}", "/find"
    sizes = [len(_page(client, url)) for url in (profile, search)]
    page_cache.clear()
    monkeypatch.setattr(page_cache, "MAX_CHARS", max(sizes) + 10)  # room for one page, not two
    statements(client, profile)
    statements(client, search)  # kept; the profile, used less recently, goes
    assert statements(client, search) == 1
    assert statements(client, profile) > 1


def test_a_new_approved_listing_shows_at_once(client, shop):
    _designer, listing = shop
    assert "1 service found" in _page(client, "/find?q=zirconia")
    make_listing(make_designer(name="Eli"), title="Zirconia bridges by Eli")
    page = _page(client, "/find?q=zirconia")
    assert "2 services found" in page and "Zirconia bridges by Eli" in page


def test_an_approved_edit_and_a_new_price_show_at_once(client, shop):
    designer, listing = shop
    before = _all_pages(client, designer, listing)
    assert "$9.00" in before["/find"] and "$9.00" in before[f"/listings/{listing.id}"]
    listing_ops.update_listing(
        listing, actor=designer, draft=draft(title="Zirconia crowns, faster", tiers=[Tier(1, 700)])
    )
    listing_ops.submit_listing(listing, actor=designer)
    listing_ops.approve_listing(listing, actor=moderator())
    commit()
    for url, page in _all_pages(client, designer, listing).items():
        assert "Zirconia crowns, faster" in page and "$7.00" in page, url
        assert "$9.00" not in page, url


def test_a_paused_listing_leaves_the_results_at_once(client, shop):
    designer, listing = shop
    assert "Zirconia crowns by Dora" in _page(client, "/find")
    listing_ops.set_listing_paused(listing, actor=designer, paused=True)
    commit()
    assert "0 services found" in _page(client, "/find")


def test_ratings_and_pro_status_show_at_once(client, shop):
    designer, listing = shop
    before = _all_pages(client, designer, listing)
    assert all("5.0" not in page for page in before.values())
    for _ in range(3):
        profile_ops.record_review_score(designer.id, 5)
    commit()
    for url, page in _all_pages(client, designer, listing).items():
        assert "5.0" in page and "Pro" in page, url


def test_availability_shows_at_once(client, shop):
    designer, listing = shop
    full = "currently unavailable for work"
    assert all(full not in page for page in _all_pages(client, designer, listing).values())
    profile_ops.set_availability(profile_ops.profile_for(designer), actor=designer, unavailable=True)
    commit()
    for url, page in _all_pages(client, designer, listing).items():
        assert full in page, url


def test_a_suspended_designer_disappears_at_once(client, shop):
    designer, listing = shop
    _all_pages(client, designer, listing)
    suspend_account(designer, actor=moderator(), reason="Off-platform payments")
    commit()
    assert "0 services found" in _page(client, "/find")
    assert client.get(f"/listings/{listing.id}").status_code == 404
    assert client.get(f"/designers/{designer.id}").status_code == 404


def test_a_new_name_shows_at_once(client, shop):
    designer, listing = shop
    _all_pages(client, designer, listing)
    designer.display_name = "Dora Lab"
    commit()
    for url, page in _all_pages(client, designer, listing).items():
        assert "Dora Lab" in page, url


def test_a_follow_renders_the_profile_again_and_leaves_the_search_pages_warm(client, shop):
    """Each page reads its own scope's generation: a write only profiles show costs searches nothing."""
    designer, _listing = shop
    follower = make_user()  # a new account is a write to users, which search pages read
    search, profile = "/find?q=zirconia", f"/designers/{designer.id}"
    for url in (search, profile):
        statements(client, url)
    db.session.add(Follow(follower_id=follower.id, designer_id=designer.id))
    commit()
    assert statements(client, search) == 1
    assert statements(client, profile) > 1
    assert "1 follower" in _page(client, profile)


def test_followers_reviews_and_posts_show_at_once_on_the_profile(client, shop):
    designer, listing = shop
    profile_url = f"/designers/{designer.id}"
    assert "0 followers" in _page(client, profile_url)
    db.session.add(Follow(follower_id=make_user().id, designer_id=designer.id))
    commit()
    assert "1 follower" in _page(client, profile_url)

    post = create_post(author=designer, body="Contacts on a long-span zirconia bridge, before and after.")
    approve_post(post, actor=moderator())
    commit()
    assert "long-span zirconia bridge" in _page(client, profile_url)

    case = make_case(make_user(), designer)
    case.listing_id = listing.id
    commit()
    case = drive(case, figures.CaseState.completed)
    reviews.post_review(case, actor=case.client, stars=4, text="Tight contacts, seated without adjustment.")
    commit()
    for url in (profile_url, f"/listings/{listing.id}"):
        assert "seated without adjustment" in _page(client, url), url


def test_the_on_time_figure_turns_when_a_due_date_passes_without_any_write(client, monkeypatch):
    designer = make_designer()
    listing = make_listing(designer)
    lab = make_user()
    for _ in range(3):
        done = make_case(lab, designer)
        process.accept_case(done, actor=designer)
        process.deliver_case(done, actor=designer, note="done", files=[design_file(designer)])
        commit()
    waiting = make_case(lab, designer)
    process.accept_case(waiting, actor=designer)
    commit()
    record = figures.designer_record(designer)
    assert record.changes_at == figures._utc(waiting.due_at)
    urls = (f"/listings/{listing.id}", f"/designers/{designer.id}")
    assert all("100 %" in _page(client, url) for url in urls)

    later = figures._utc(waiting.due_at) + timedelta(hours=1)
    monkeypatch.setattr(figures, "utcnow", lambda: later)
    monkeypatch.setattr(page_cache, "utcnow", lambda: later)
    for url in urls:
        assert "75 %" in _page(client, url), url


def test_visitors_get_their_own_csrf_token_and_members_their_own_page(app, shop):
    designer, listing = shop
    first, second = app.test_client(), app.test_client()
    _page(first, "/find")
    page = _page(second, "/find")
    assert page_cache.CSRF_SLOT not in page
    with second.session_transaction() as session:
        assert session["csrf_token"]
    member = make_user(name="Mona Member")
    login(second, member)
    assert "Mona Member" in _page(second, "/find")
    assert "Mona Member" not in _page(first, "/find")


def test_logins_bump_nothing_and_writes_to_shown_tables_do(client, shop):
    designer, _listing = shop
    member = make_user()
    before = (current(SEARCH), current(PAGES))
    login(client, member)
    assert (current(SEARCH), current(PAGES)) == before
    assert scopes_written("UPDATE users SET last_login_at=?, session_version=? WHERE users.id = ?") == frozenset()
    assert scopes_written("UPDATE users SET display_name=? WHERE users.id = ?") == {SEARCH, PAGES}
    assert scopes_written("INSERT INTO messages (body) VALUES (?)") == {PAGES}
    assert scopes_written("DELETE FROM catalogue_entries WHERE listing_id = ?") == {SEARCH, PAGES}
    assert scopes_written("SELECT * FROM listings") == frozenset()
    assert scopes_written("DELETE FROM stored_files WHERE stored_files.id = ?") == {PAGES}  # a post's 3D model
    assert scopes_written("UPDATE stored_files SET scanned_at=? WHERE stored_files.id = ?") == frozenset()
    assert scopes_written("INSERT INTO notifications (user_id) VALUES (?)") == frozenset()
