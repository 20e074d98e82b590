"""The news section and its articles."""

from __future__ import annotations

import datetime

import factory

from news.models import ArticlePage, NewsIndexPage

from .pages import PageFactory, home_page, under_home


class NewsIndexPageFactory(PageFactory):
    class Meta:
        model = NewsIndexPage

    parent = factory.LazyFunction(home_page)
    title = "Actualités"
    slug = "actualites"
    introduction = "La vie du Carburateur."


class ArticlePageFactory(PageFactory):
    """An article, one day after the previous one; ``tags`` is a list of tag names."""

    class Meta:
        model = ArticlePage

    parent = under_home(NewsIndexPageFactory)
    title = factory.Sequence(lambda n: f"Article {n + 1:04d}")
    slug = factory.Sequence(lambda n: f"article-{n + 1:04d}")
    date = factory.Sequence(lambda n: datetime.date(2025, 1, 1) + datetime.timedelta(days=n + 1))
    author = "L'équipe du Carburateur"
    introduction = factory.Sequence(lambda n: f"Chapeau de l'article {n + 1}.")

    @factory.post_generation
    def tags(article: ArticlePage, create: bool, extracted: list[str] | None, **_: object) -> None:
        if create and extracted:
            article.tags.add(*extracted)
            article.save()
