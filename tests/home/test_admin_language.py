"""The Wagtail admin speaks French to every user, and the public site too."""

from __future__ import annotations

import re
from gettext import GNUTranslations
from pathlib import Path

import pytest

from django.conf import settings
from django.test import Client

import wagtail

from legal.models import LegalPage
from tests.factories.news import NewsIndexPageFactory
from tests.factories.subscriptions import SubscriberFactory


@pytest.mark.django_db
def test_admin_login__is_in_french(client: Client) -> None:
    html = client.get("/admin/login/").content.decode()
    assert 'lang="fr"' in html
    assert "Connexion" in html
    assert "Sign in" not in html


@pytest.mark.django_db
def test_admin_dashboard__is_in_french_for_a_new_user(client: Client, admin_user) -> None:
    client.force_login(admin_user)
    html = client.get("/admin/").content.decode()
    assert 'lang="fr"' in html
    assert "Tableau de bord" in html
    assert "Dashboard" not in html


# --- Issue 13: nothing in English, no broken French --------------------------------------------
# Most of these strings come from Wagtail's French catalogue, corrected in site/wagtail_locale.


def visible_text(html: str) -> str:
    """The page's text, tags removed and spaces collapsed (scripts' JSON included); the
    narrow no-break spaces of French typography are kept."""
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", html))


def admin_get(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


@pytest.mark.django_db
def test_explorer__root_page_is_named_in_french(admin_client_logged: Client) -> None:
    text = visible_text(admin_get(admin_client_logged, "/admin/pages/"))
    assert "Exploration\u202f: Racine du site" in text
    assert not re.search(r"\bRoot\b", text)


@pytest.mark.django_db
def test_workflow_report__is_titled_in_french(admin_client_logged: Client) -> None:
    html = admin_get(admin_client_logged, "/admin/reports/workflow/")
    assert "<title>Circuits de validation" in html
    assert "Workflows" not in html
    assert "T\\u00e2ches de circuit de validation" in html  # the menu (JSON) says it too


@pytest.mark.django_db
def test_page_form__slug_help_and_title_are_french(admin_client_logged: Client, home_page) -> None:
    text = visible_text(
        admin_get(admin_client_logged, f"/admin/pages/add/home/standardpage/{home_page.pk}/")
    )
    assert "par exemple https://lecarburateur.fr/actualites/[mon-slug]/" in text
    assert "e.g http" not in text
    assert "Création\u202f: Page" in text
    assert "Nouveau:" not in text


@pytest.mark.django_db
def test_page_form__status_is_statut(admin_client_logged: Client, publish_page) -> None:
    page = publish_page("À propos")
    text = visible_text(admin_get(admin_client_logged, f"/admin/pages/{page.pk}/edit/"))
    assert "Statut : Publié" in text
    assert "Status" not in text


@pytest.mark.django_db
def test_explorer__current_status_is_statut(admin_client_logged: Client, publish_page) -> None:
    publish_page("À propos")
    home = publish_page("Contact").get_parent()
    text = visible_text(admin_get(admin_client_logged, f"/admin/pages/{home.pk}/"))
    assert "Statut actuel de la page : publiée" in text
    assert "Status actuel" not in text


@pytest.mark.django_db
def test_dashboard__counts_pages_created_in_french(
    admin_client_logged: Client, publish_page
) -> None:
    publish_page("À propos")
    publish_page("Contact")
    text = visible_text(admin_get(admin_client_logged, "/admin/"))
    # The home page, the two above and the legal pages the data migration creates.
    assert re.search(rf"\b{3 + LegalPage.objects.count()} pages créées dans", text)
    assert "crées" not in text


@pytest.mark.django_db
def test_article_form__add_button_has_no_un_e(admin_client_logged: Client, home_page) -> None:
    news = NewsIndexPageFactory()
    text = visible_text(
        admin_get(admin_client_logged, f"/admin/pages/add/news/articlepage/{news.pk}/")
    )
    assert "Ajouter : Page liée" in text
    assert "un(e)" not in text


@pytest.mark.django_db
def test_page_search__counts_without_none(admin_client_logged: Client, publish_page) -> None:
    publish_page("Formation comptable")
    publish_page("Formation numérique")
    text = visible_text(admin_get(admin_client_logged, "/admin/pages/search/?q=formation"))
    assert "1-2 sur 2 " in text
    assert "None" not in text


@pytest.mark.django_db
def test_sidebar_plural__new_items_agree(admin_client_logged: Client) -> None:
    catalogue = admin_get(admin_client_logged, "/admin/jsi18n/")
    assert "(%(number)s nouveaux \\u00e9l\\u00e9ments dans ce menu)" in catalogue
    assert "(%(number)s  nouvel" not in catalogue


@pytest.mark.django_db
def test_page_in_review__is_said_en_relecture(
    admin_client_logged: Client, admin_user, publish_page
) -> None:
    page = publish_page("À propos")
    page.save_revision(user=admin_user)
    page.get_workflow().start(page, admin_user)
    listing = visible_text(admin_get(admin_client_logged, f"/admin/pages/{page.get_parent().pk}/"))
    assert "publiée + en relecture" in listing
    edit = visible_text(admin_get(admin_client_logged, f"/admin/pages/{page.pk}/edit/"))
    assert "Statut : En relecture" in edit
    assert "modérat" not in listing + edit


@pytest.mark.django_db
def test_subscriber_list__french_column_counts_and_filter(admin_client_logged: Client) -> None:
    SubscriberFactory(email="lecteur@example.fr", topics=["actualites"])
    text = visible_text(admin_get(admin_client_logged, "/admin/newsletters/subscriber/"))
    assert "Adresse électronique Statut Thèmes Source" in text
    assert "Topic names" not in text
    assert "Actualités du Carburateur : 1 confirmé·e " in text
    assert "Concours et votes : 0 confirmé·e " in text
    assert "confirmés" not in text
    assert "Concours et votes sans thème Par source" in text
    assert "Concours et votes - Par source" not in text


def test_wagtail_overrides__each_msgid_still_exists_in_wagtails_catalogues() -> None:
    """An override whose msgid Wagtail changed would be ignored without a word."""
    packages = Path(wagtail.__file__).parent.parent
    for domain in ("django", "djangojs"):
        with (settings.SITE_DIR / f"wagtail_locale/fr/LC_MESSAGES/{domain}.mo").open("rb") as file:
            ours = GNUTranslations(file)
        theirs: set = set()
        for catalogue in packages.glob(f"wagtail*/**/locale/fr/LC_MESSAGES/{domain}.mo"):
            with catalogue.open("rb") as file:
                theirs |= set(GNUTranslations(file)._catalog)  # type: ignore[attr-defined]
        missing = set(ours._catalog) - theirs - {""}  # type: ignore[attr-defined]
        assert not missing, domain


@pytest.mark.django_db
def test_modeladmin_create__no_un_e(admin_client_logged: Client) -> None:
    text = visible_text(admin_get(admin_client_logged, "/admin/newsletters/topic/create/"))
    assert "Création : thème" in text
    assert "un(e)" not in text
    listing = visible_text(admin_get(admin_client_logged, "/admin/newsletters/topic/"))
    assert "Ajouter : thème" in listing
