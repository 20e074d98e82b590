"""The demo articles have a body of their own, not a copy of their introduction."""

from __future__ import annotations

import pytest

from core.demo import DemoReport
from news.demo import ARTICLES, load_news_demo, replace_copied_body
from news.models import ArticlePage

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("demo", ARTICLES, ids=lambda demo: demo.slug)
def test_demo_article__body_goes_beyond_its_introduction(demo) -> None:  # type: ignore[no-untyped-def]
    assert 2 <= len(demo.body) <= 4
    assert demo.text not in demo.body
    for paragraph in demo.body:
        assert paragraph[:60] not in demo.text


def test_news_demo__the_cassar_article_renders_its_own_body(client, home_page) -> None:  # type: ignore[no-untyped-def]
    load_news_demo(home_page, DemoReport())
    article = ArticlePage.objects.get(slug="visite-de-monique-cassar")
    html = client.get(article.url).content.decode().split("<main", 1)[1]
    assert html.count("Monique Cassar, présidente de la délégation") == 1  # the introduction
    assert "Medinscop, Maxime Larabi" in html
    assert len(article.body) == 3


def test_news_demo__replaces_a_body_copied_from_the_introduction_once(home_page) -> None:  # type: ignore[no-untyped-def]
    load_news_demo(home_page, DemoReport())
    demo = ARTICLES[1]
    article = ArticlePage.objects.get(slug=demo.slug)
    article.body = [("paragraph", f"<p>{demo.text}</p>")]  # what earlier demos created
    article.save_revision().publish()

    report = DemoReport()
    load_news_demo(home_page, report)
    article.refresh_from_db()
    assert [block.value.source for block in article.body] == [f"<p>{p}</p>" for p in demo.body]
    assert report.created == 1

    edited = [("paragraph", "<p>Réécrit par l'équipe.</p>")]
    article.body = edited
    article.save_revision().publish()
    replace_copied_body(article, demo, report)
    article.refresh_from_db()
    assert [block.value.source for block in article.body] == ["<p>Réécrit par l'équipe.</p>"]
