"""The articles of the help centre, read once per process from helpcentre/content/.

content/sections.yaml   the sections, in order, with their titles in each language
content/<lang>/<slug>.md one article in one language: front matter (title, section, order,
                         summary, keywords, related) and a Markdown body
content/faq_questions.yaml the questions of the original platform's FAQ, each with the article
                         that answers it (tests check that every one has its article in every language)
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markupsafe import Markup

from helpcentre.rendering import plain_text, read_document, render_markdown

CONTENT = Path(__file__).resolve().parent / "content"
LANGUAGES = ("en", "fr")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Section:
    id: str
    titles: dict[str, str]
    intros: dict[str, str]

    def title(self, language: str) -> str:
        return self.titles.get(language) or self.titles["en"]

    def intro(self, language: str) -> str:
        return self.intros.get(language) or self.intros.get("en", "")


@dataclass(frozen=True)
class Article:
    slug: str
    language: str
    title: str
    section: str
    order: int
    summary: str
    body: str
    keywords: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    words: frozenset[str] = field(default=frozenset(), repr=False)

    def html(self) -> Markup:
        return render_markdown(self.body)


@dataclass(frozen=True)
class Question:
    id: str
    section: str
    article: str
    texts: dict[str, str]


def normalise(text: str) -> str:
    """Lower case without accents, so "resilier" finds "résilier"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> list[str]:
    return [w for w in re.findall(r"[a-z0-9]+", normalise(text)) if len(w) > 1]


class Library:
    def __init__(self, root: Path = CONTENT):
        self.sections = [
            Section(s["id"], s["title"], s.get("intro", {}))
            for s in yaml.safe_load((root / "sections.yaml").read_text(encoding="utf-8"))
        ]
        self.questions = [
            Question(str(q["id"]), q["section"], q["article"], {k: q[k] for k in LANGUAGES if k in q})
            for q in yaml.safe_load((root / "faq_questions.yaml").read_text(encoding="utf-8"))
        ]
        self.articles: dict[tuple[str, str], Article] = {}
        for language in LANGUAGES:
            for path in sorted((root / language).glob("*.md")):
                meta, body = read_document(path)
                slug = path.stem
                title = str(meta["title"])
                keywords = tuple(str(k) for k in meta.get("keywords", []))
                self.articles[(slug, language)] = Article(
                    slug=slug,
                    language=language,
                    title=title,
                    section=str(meta["section"]),
                    order=int(meta.get("order", 100)),
                    summary=str(meta.get("summary", "")),
                    body=body,
                    keywords=keywords,
                    related=tuple(meta.get("related", [])),
                    words=frozenset(words_of(" ".join((title, *keywords, plain_text(body))))),
                )

    def get(self, slug: str, language: str) -> Article | None:
        return self.articles.get((slug, language)) or self.articles.get((slug, "en"))

    def section(self, section_id: str) -> Section | None:
        return next((s for s in self.sections if s.id == section_id), None)

    def in_section(self, section_id: str, language: str) -> list[Article]:
        found = [a for (slug, lang), a in self.articles.items() if lang == language and a.section == section_id]
        return sorted(found, key=lambda a: (a.order, a.title))

    def related(self, article: Article, limit: int = 5) -> list[Article]:
        """The articles its front matter names, then others of its section, up to `limit`."""
        chosen = [a for a in (self.get(s, article.language) for s in article.related) if a and a.slug != article.slug]
        for other in self.in_section(article.section, article.language):
            if len(chosen) >= limit:
                break
            if other.slug != article.slug and other not in chosen:
                chosen.append(other)
        return chosen[:limit]

    def search(self, query: str, language: str, limit: int = 30) -> list[Article]:
        """Articles in `language` holding every word of the query (a word may be the start of
        one of theirs: "refund" finds "refunded"), best first: title, then keywords and summary, then text."""
        terms = words_of(query)[:12]
        if not terms:
            return []
        scored = []
        for (_slug, lang), article in self.articles.items():
            if lang != language:
                continue
            if not all(any(w.startswith(t) for w in article.words) for t in terms):
                continue
            title = words_of(article.title)
            keywords = words_of(" ".join(article.keywords) + " " + article.summary)
            score = sum(_weight(t, title, exact=6, prefix=4) + _weight(t, keywords, exact=3, prefix=2) for t in terms)
            scored.append((-score, article.order, article.title, article))
        return [item[-1] for item in sorted(scored, key=lambda item: item[:3])][:limit]


def _weight(term: str, words: list[str], *, exact: int, prefix: int) -> int:
    """A whole-word match counts more than a word that only starts with the term."""
    if term in words:
        return exact
    return prefix if any(w.startswith(term) for w in words) else 0


@functools.lru_cache(maxsize=1)
def library() -> Library:
    """The help centre's content, read once per process (the files change only with a deploy)."""
    return Library()
