"""The news index and articles: where they may be created and what they show."""

from __future__ import annotations

import datetime

import pytest

from django.utils import timezone

from wagtail.test.utils import WagtailPageTestCase

from home.models import HomePage
from members.models import MemberPage
from news.models import ArticlePage, ArticleRelatedPage, NewsIndexPage
from tests.factories.members import MemberPageFactory
from tests.factories.news import ArticlePageFactory, NewsIndexPageFactory
from tests.factories.pages import ImageFactory
from tests.factories.programs import PartnerPageFactory

from .conftest import MakeArticle


class TestPageTree(WagtailPageTestCase):
    def test_news_index__only_under_the_home_page_and_holds_articles(self) -> None:
        self.assertAllowedParentPageTypes(NewsIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(NewsIndexPage, {ArticlePage})

    def test_article__only_in_the_news_index_and_has_no_children(self) -> None:
        self.assertAllowedParentPageTypes(ArticlePage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_news_index__only_one_on_the_site(self) -> None:
        home = HomePage.objects.get()
        self.assertCanCreateAt(HomePage, NewsIndexPage)
        NewsIndexPageFactory(parent=home)
        self.assertFalse(NewsIndexPage.can_create_at(home))

    def test_news_index_and_article__are_routable_and_renderable(self) -> None:
        index = NewsIndexPageFactory()
        article = ArticlePageFactory(parent=index, title="Visite", slug="visite")
        for page in (index, article):
            self.assertPageIsRoutable(page)
            self.assertPageIsRenderable(page)
        self.assertPageIsRoutable(index, "rss/")


@pytest.mark.django_db
def test_article__date_defaults_to_today_in_paris(news_index: NewsIndexPage) -> None:
    assert ArticlePage(title="Sans date").date == timezone.localdate()


@pytest.mark.django_db
def test_article__shows_date_author_tags_image_and_body(client, make_article: MakeArticle) -> None:
    image = ImageFactory(title="Visite", description="Monique Cassar visite les ateliers")
    article = make_article(
        title="Visite de la présidente de la CMA",
        date=datetime.date(2025, 3, 14),
        author="Camille Durand",
        introduction="Monique Cassar a rencontré les résidents.",
        listing_image=image,
        body=[("heading", {"text": "Rencontre avec les artisans", "level": "h2"})],
        tags=["CMA", "Artisanat"],
    )
    response = client.get(article.url)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    for expected in [
        "Visite de la présidente de la CMA",
        '<time datetime="2025-03-14">14 mars 2025</time>',
        "par Camille Durand",
        "Monique Cassar a rencontré les résidents.",
        'alt="Monique Cassar visite les ateliers"',
        "Rencontre avec les artisans",
        '/actualites/?tag=cma">CMA</a>',
        '/actualites/?tag=artisanat">Artisanat</a>',
    ]:
        assert expected in html, expected


@pytest.mark.django_db
def test_article__lists_related_residents_and_partners_by_kind(
    client, home_page: HomePage, resident: MemberPage, make_article: MakeArticle
) -> None:
    directory = resident.get_parent()
    draft = MemberPageFactory(
        parent=directory, title="Brouillon", slug="brouillon", company_name="B", live=False
    )
    partner = PartnerPageFactory()

    article = make_article()
    for order, page in enumerate([partner, draft, resident]):
        ArticleRelatedPage.objects.create(article=article, page=page, sort_order=order)

    html = client.get(article.url).content.decode()
    residents_at = html.index("<h3>Résidents</h3>")
    partners_at = html.index("<h3>Partenaires</h3>")
    assert residents_at < html.index(f'href="{resident.url}"') < partners_at
    assert partners_at < html.index(f'href="{partner.url}"')
    assert "Brouillon" not in html


@pytest.mark.django_db
def test_news_index__lists_articles_newest_first(
    client, news_index: NewsIndexPage, make_article: MakeArticle
) -> None:
    make_article(title="Ancien", date=datetime.date(2024, 5, 1))
    make_article(title="Récent", date=datetime.date(2025, 5, 1))
    make_article(title="Brouillon", date=datetime.date(2025, 6, 1), live=False)
    html = client.get(news_index.url).content.decode()
    assert html.count("<h1") == 1
    assert "Brouillon" not in html
    assert html.index("Récent") < html.index("Ancien")
    assert "1er mai 2025" in html  # French writes the first of the month « 1er »


@pytest.mark.django_db
def test_news_index__says_so_when_there_is_no_article(client, news_index: NewsIndexPage) -> None:
    assert "Aucune actualité pour le moment." in client.get(news_index.url).content.decode()


@pytest.mark.django_db
def test_news_index__announces_its_rss_feed(client, news_index: NewsIndexPage) -> None:
    html = client.get(news_index.url).content.decode()
    assert '<link rel="alternate" type="application/rss+xml"' in html
    assert 'href="/actualites/rss/"' in html
