"""The help centre as a reader uses it: sections, articles, search, votes, deep links, old URLs."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from extensions import db
from models.help import ArticleFeedback
from tests.factories import login, make_user


def _french(client):
    client.post("/language", data={"lang": "fr"})


def test_the_index_lists_every_section_with_its_articles(client):
    page = client.get("/help").get_data(as_text=True)
    for title in (
        "Getting started",
        "Hiring designers",
        "Offering design services",
        "Payments, payouts and verification",
        "Cases, deadlines and disputes",
        "Rules, safety and your data",
    ):
        assert title in page
    assert "/help/articles/send-a-case" in page


def test_a_section_lists_all_its_articles(client):
    page = client.get("/help/sections/payments").get_data(as_text=True)
    assert "Payouts through Wise" in page and "Payouts through Payoneer" in page and "How the card hold works" in page
    assert client.get("/help/sections/nothing").status_code == 404


def test_an_article_shows_its_text_breadcrumb_and_related_articles(client):
    page = client.get("/help/articles/card-hold").get_data(as_text=True)
    assert "<h1>How the card hold works</h1>" in page
    assert "<strong>holds</strong> the amount" in page and "escrow" in page
    assert 'href="/help/sections/payments"' in page  # breadcrumb
    assert "Related articles" in page and "/help/articles/cancel-a-request" in page
    assert client.get("/help/articles/no-such-thing").status_code == 404


def test_articles_are_in_the_readers_language(client):
    _french(client)
    page = client.get("/help/articles/card-hold").get_data(as_text=True)
    assert "Comment fonctionne le blocage sur la carte" in page and "Articles liés" in page
    assert "Bien démarrer" in client.get("/help").get_data(as_text=True)


@pytest.mark.parametrize(
    "query, slug",
    [
        ("payoneer", "payout-payoneer"),
        ("refund dispute", "disputes"),
        ("Pro badge", "pro-badge"),
        ("delete account", "close-account"),
        ("iphone", "install-the-app"),
    ],
)
def test_search_finds_the_article_first(client, query, slug):
    page = client.get("/help/search", query_string={"q": query}).get_data(as_text=True)
    first = page.index("/help/articles/")
    assert page[first : first + 60].startswith(f"/help/articles/{slug}"), (query, page[first : first + 60])


def test_french_search_ignores_accents_and_says_when_nothing_matches(client):
    _french(client)
    page = client.get("/help/search", query_string={"q": "sequestre"}).get_data(as_text=True)
    assert "/help/articles/escrow-protection" in page
    page = client.get("/help/search", query_string={"q": "zzzqqq"}).get_data(as_text=True)
    assert "Aucun article ne correspond" in page


def test_a_vote_is_stored_once_per_reader_and_can_be_changed(client):
    response = client.post("/help/articles/card-hold/vote", data={"helpful": "no", "comment": "More on refunds"})
    assert response.status_code == 302 and response.location.endswith("/help/articles/card-hold#feedback")
    client.post("/help/articles/card-hold/vote", data={"helpful": "yes"})
    votes = db.session.scalars(sa.select(ArticleFeedback)).all()
    assert [(v.slug, v.helpful, v.comment) for v in votes] == [("card-hold", True, "More on refunds")]
    assert "Thank you for your answer." in client.get("/help/articles/card-hold").get_data(as_text=True)


def test_signed_in_readers_vote_as_their_account(app, client):
    user = make_user()
    login(client, user)
    client.post("/help/articles/fees/vote", data={"helpful": "yes"})
    other = app.test_client()
    other.post("/help/articles/fees/vote", data={"helpful": "no"})
    rows = db.session.execute(
        sa.select(ArticleFeedback.user_id, ArticleFeedback.helpful).order_by(ArticleFeedback.id)
    ).all()
    assert rows == [(user.id, True), (None, False)]


def test_a_vote_needs_an_answer_and_a_real_article(client):
    client.post("/help/articles/fees/vote", data={"helpful": "maybe"})
    assert client.post("/help/articles/not-an-article/vote", data={"helpful": "yes"}).status_code == 404
    assert db.session.scalar(sa.select(sa.func.count()).select_from(ArticleFeedback)) == 0


def test_votes_need_the_csrf_token(make_app):
    guarded = make_app(WTF_CSRF_ENABLED=True)
    with guarded.app_context():
        response = guarded.test_client().post("/help/articles/fees/vote", data={"helpful": "yes"})
        assert response.status_code == 400
        assert db.session.scalar(sa.select(sa.func.count()).select_from(ArticleFeedback)) == 0


def test_votes_are_rate_limited(make_app):
    limited = make_app(RATELIMIT_HELP_VOTE="2 per minute")
    with limited.app_context():
        visitor = limited.test_client()
        codes = [visitor.post("/help/articles/fees/vote", data={"helpful": "yes"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_old_help_urls_lead_to_the_help_centre(client):
    assert client.get("/help").status_code == 200
    response = client.get("/help/install")
    assert response.status_code == 301 and response.location.endswith("/help/articles/install-the-app")
    page = client.get("/help/install", follow_redirects=True).get_data(as_text=True)
    assert "Add to Home Screen" in page and "three dots" in page


def test_the_footer_links_the_help_centre_and_every_legal_page(client):
    page = client.get("/").get_data(as_text=True)
    for href in ("/help", "/legal/terms", "/legal/privacy", "/legal/cookies", "/legal/notice"):
        assert f'href="{href}"' in page


def test_the_payout_settings_link_the_payout_guides(client):
    designer = make_user(client=False, designer=True)
    login(client, designer)
    page = client.get("/settings/payments").get_data(as_text=True)
    for slug in ("payout-setup", "payout-wise", "payout-payoneer"):
        assert f"/help/articles/{slug}" in page


def test_the_help_centre_leads_to_the_support_desk(client):
    for url in ("/help", "/help/articles/card-hold"):
        page = client.get(url, follow_redirects=True).get_data(as_text=True)
        assert 'href="/support/contact"' in page, url
    assert client.get("/support/contact").status_code == 200
