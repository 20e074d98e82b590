"""Editing articles in the admin: related pages are chosen among residents, partners, programs."""

from __future__ import annotations

import json
import re

import pytest

from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from home.models import HomePage
from members.models import MemberPage
from news.models import RELATED_PAGE_TYPES, ArticlePage, NewsIndexPage
from tests.factories.home import StandardPageFactory

from .conftest import MakeArticle


@pytest.mark.django_db
def test_article__edit_view_offers_a_chooser_restricted_to_related_page_types(
    admin_client_logged, make_article: MakeArticle
) -> None:
    article = make_article(tags=["CMA"])
    response = admin_client_logged.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Pages liées" in html
    # The inline form's page chooser is told which page types it may offer.
    chooser = re.search(r'new PageChooser\("id_related_pages-__prefix__-page", (\{.*?\})\);', html)
    assert chooser is not None
    offered = json.loads(chooser.group(1))["modelNames"]
    assert offered == [name.lower() for name in RELATED_PAGE_TYPES]


@pytest.mark.django_db
def test_news_index__edit_and_add_article_views_render(
    admin_client_logged, news_index: NewsIndexPage
) -> None:
    edit = admin_client_logged.get(reverse("wagtailadmin_pages:edit", args=[news_index.pk]))
    assert edit.status_code == 200
    assert 'id="page-edit-form"' in edit.content.decode()
    add = admin_client_logged.get(
        reverse("wagtailadmin_pages:add", args=["news", "articlepage", news_index.pk])
    )
    assert add.status_code == 200
    assert 'id="page-edit-form"' in add.content.decode()


def article_post_data(article: ArticlePage, related_page_id: int) -> dict[str, str]:
    return nested_form_data(
        {
            "title": article.title,
            "slug": article.slug,
            "date": "2025-03-14",
            "author": "Camille Durand",
            "tags": "CMA, Visite",
            "introduction": "",
            "body": streamfield([]),
            "related_pages": inline_formset([{"page": related_page_id}]),
            "comments": inline_formset([]),
        }
    )


@pytest.mark.django_db
def test_article__an_editor_links_a_resident(
    admin_client_logged, resident: MemberPage, make_article: MakeArticle
) -> None:
    article = make_article()
    response = admin_client_logged.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_post_data(article, resident.pk),
    )
    assert response.status_code == 302, response.context and response.context["form"].errors
    article.refresh_from_db()
    draft = article.get_latest_revision_as_object()
    assert [link.page_id for link in draft.related_pages.all()] == [resident.pk]
    assert sorted(tag.name for tag in draft.tags.all()) == ["CMA", "Visite"]


@pytest.mark.django_db
def test_article__refuses_a_related_page_of_another_type_in_french(
    admin_client_logged, home_page: HomePage, make_article: MakeArticle
) -> None:
    other = StandardPageFactory(title="Plan d'accès", slug="plan-d-acces")
    article = make_article()
    response = admin_client_logged.post(
        reverse("wagtailadmin_pages:edit", args=[article.pk]),
        article_post_data(article, other.pk),
    )
    assert response.status_code == 200
    assert "Choisissez un résident, un partenaire ou un programme." in response.content.decode()
    assert not article.related_pages.exists()
