"""The help centre's content: every question of the original FAQ has its article in every
language, articles agree between languages, and every link and figure in them is real."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from werkzeug.exceptions import MethodNotAllowed, NotFound

from helpcentre.articles import LANGUAGES, SLUG, library
from helpcentre.rendering import CONFIG_FIGURES, fields_used, render_markdown

ROOT = Path(__file__).resolve().parents[2]
SEED = ROOT.parent.parent / "shared" / "seed" / "faq-fr.txt"
QUESTIONS = yaml.safe_load((ROOT / "helpcentre" / "content" / "faq_questions.yaml").read_text(encoding="utf-8"))
SLUGS = sorted({slug for slug, _lang in library().articles})


@pytest.mark.parametrize("question", QUESTIONS, ids=[q["id"] for q in QUESTIONS])
def test_every_faq_question_has_its_article_in_every_language(question):
    lib = library()
    for language in LANGUAGES:
        assert question.get(language), f"question {question['id']} has no {language} text"
        article = lib.articles.get((question["article"], language))
        assert article is not None, f"question {question['id']}: no {language} article {question['article']}"
        assert article.body.strip()


def test_the_questions_cover_the_faq_sections_in_order():
    ids = [q["id"] for q in QUESTIONS]
    assert len(ids) == len(set(ids)) >= 55
    # The FAQ's three sections: general, hiring designers, offering design services.
    assert [q["section"] for q in QUESTIONS if q["id"].startswith("1.")] == ["general"] * 11
    assert {q["section"] for q in QUESTIONS if q["id"].startswith("2.")} == {"clients"}
    assert {q["section"] for q in QUESTIONS if q["id"].startswith("3.")} == {"designers"}


@pytest.mark.skipif(not SEED.exists(), reason="the shared seed is outside this checkout")
def test_the_faqs_distinctive_topics_each_have_an_article():
    # Words of the seed's answers that only one kind of question uses, and the article answering it.
    seed = SEED.read_text(encoding="utf-8")
    topics = {
        "Wise": "payout-wise",
        "Payoneer": "payout-payoneer",
        "badge Pro": "pro-badge",
        "Indisponible pour Travailler": "unavailable-for-work",
        "38,77": "pricing-your-listings",
        "PWA": "install-the-app",
        "WeTransfer": "file-transfer",
        "30 jours": "client-not-completing",
    }
    answered = {q["article"] for q in QUESTIONS}
    for word, slug in topics.items():
        assert word in seed and slug in answered


def test_articles_and_their_rules_of_the_platform_count():
    # The FAQ's ~60 questions plus this platform's own rules (card hold, deadlines, disputes, deletion).
    assert len(SLUGS) >= 60
    for slug in ("card-hold", "deadlines", "disputes", "patient-file-deletion", "close-account", "data-export"):
        assert slug in SLUGS


@pytest.mark.parametrize("slug", SLUGS)
def test_each_article_exists_in_both_languages_in_the_same_section(slug):
    lib = library()
    versions = [lib.articles.get((slug, language)) for language in LANGUAGES]
    assert all(versions), f"{slug} lacks a language"
    assert SLUG.match(slug)
    assert len({a.section for a in versions}) == 1 and lib.section(versions[0].section) is not None
    assert versions[0].title != versions[1].title  # translated, not copied
    for article in versions:
        assert all(other in SLUGS for other in article.related), article.related
        assert fields_used(article.body) <= set(CONFIG_FIGURES), fields_used(article.body) - set(CONFIG_FIGURES)


def test_every_link_inside_an_article_opens_a_page_of_the_site(app):
    adapter = app.url_map.bind("localhost")
    for (slug, language), article in library().articles.items():
        for target in re.findall(r"\]\((/[^)\s#]*)", article.body):
            try:
                endpoint, args = adapter.match(target, method="GET")
            except (NotFound, MethodNotAllowed):
                pytest.fail(f"{slug} ({language}) links to {target}, which is no page")
            if endpoint == "help.article":
                assert args["slug"] in SLUGS, f"{slug} links to a missing article {args['slug']}"


def test_figures_in_articles_come_from_the_configuration(app, client):
    app.config["AUTO_COMPLETE_DAYS"], before = 31, app.config["AUTO_COMPLETE_DAYS"]
    try:
        page = client.get("/help/articles/client-not-completing").get_data(as_text=True)
    finally:
        app.config["AUTO_COMPLETE_DAYS"] = before
    assert "31 days after your last delivery" in page and "{{" not in page


def test_markdown_is_rendered_without_markup_or_script_from_the_source(app):
    with app.test_request_context():
        html = str(
            render_markdown("<script>alert(1)</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(1)>")
        )
    assert "<script" not in html and "<img" not in html and 'href="javascript' not in html
    assert "&lt;script&gt;" in html
