"""The data migration gives a site whose root is a home page its three legal pages, once."""

from __future__ import annotations

import importlib
from typing import Any

import pytest

from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from wagtail.models import Page

from home.models import HomePage
from legal.content import LEGAL_PAGES
from legal.models import LegalKind, LegalPage
from tests.factories.home import StandardPageFactory

migration = importlib.import_module("legal.migrations.0002_create_legal_pages")


def _historical_apps() -> Any:
    """The models as the migration sees them (no treebeard methods, no custom managers)."""
    executor = MigrationExecutor(connection)
    return executor.loader.project_state(("legal", "0002_create_legal_pages")).apps


def _run_migration() -> None:
    migration.create_legal_pages(_historical_apps(), None)


def _kinds(home: Page) -> list[str]:
    return sorted(LegalPage.objects.child_of(home).values_list("kind", flat=True))


@pytest.mark.django_db
def test_migrate__created_the_three_pages_under_the_home_page(home_page: HomePage) -> None:
    assert _kinds(home_page) == sorted(LegalKind.values)


@pytest.mark.django_db
def test_migration__creates_the_missing_pages_live_routable_and_in_a_sound_tree(
    home_page: HomePage, client: Client
) -> None:
    LegalPage.objects.all().delete()
    assert _kinds(home_page) == []

    _run_migration()

    assert _kinds(home_page) == sorted(LegalKind.values)
    assert Page.find_problems() == ([], [], [], [], [])
    for entry in LEGAL_PAGES:
        page = LegalPage.objects.get(kind=entry["kind"])
        assert page.live and page.title == entry["title"]
        assert page.url_path == f"{home_page.url_path}{entry['slug']}/"
        assert len(page.body) == len(entry["body"])
        assert client.get(f"/{entry['slug']}/").status_code == 200


@pytest.mark.django_db
def test_migration__run_twice_creates_nothing_the_second_time(home_page: HomePage) -> None:
    LegalPage.objects.filter(kind=LegalKind.PRIVACY).delete()
    _run_migration()
    _run_migration()
    assert _kinds(home_page) == sorted(LegalKind.values)
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_migration__leaves_an_edited_page_alone(home_page: HomePage) -> None:
    notice = LegalPage.objects.get(kind=LegalKind.NOTICE)
    notice.title = "Mentions légales du Carburateur"
    notice.save()
    _run_migration()
    assert LegalPage.objects.get(kind=LegalKind.NOTICE).title == "Mentions légales du Carburateur"


@pytest.mark.django_db
def test_migration__takes_another_slug_when_a_page_already_has_it(home_page: HomePage) -> None:
    LegalPage.objects.filter(kind=LegalKind.NOTICE).delete()
    StandardPageFactory(parent=home_page, title="Mentions légales", slug="mentions-legales")
    _run_migration()
    assert LegalPage.objects.get(kind=LegalKind.NOTICE).slug == "mentions-legales-2"
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_migration__skips_a_site_whose_root_is_not_a_home_page(home_page: HomePage) -> None:
    LegalPage.objects.all().delete()
    site = home_page.get_site()
    placeholder = Page.get_first_root_node().add_child(title="Bienvenue", slug="bienvenue")
    site.root_page = placeholder
    site.save()
    _run_migration()
    assert LegalPage.objects.count() == 0
