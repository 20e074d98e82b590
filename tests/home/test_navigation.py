"""Site settings and menus: the footer shows the hub's details, the header its menu."""

from __future__ import annotations

import pytest

from django.core.management import call_command

from home.models import SiteSettings
from home.navigation import get_navigation
from tests.home.html import fragment, main_menu

pytestmark = pytest.mark.django_db


def test_footer__shows_address_contact_hours_and_social_links(client, site_settings) -> None:
    html = client.get("/").content.decode()
    footer = fragment(html, '<footer class="site-footer">')
    assert "Pôle entrepreneurial, bâtiment B" in footer
    assert "13015 Marseille" in footer
    assert '<a href="tel:0491000000">04 91 00 00 00</a>' in footer
    assert 'href="mailto:bonjour@lecarburateur.fr"' in footer
    assert "Du lundi au vendredi, 9 h à 18 h<br>Le samedi sur rendez-vous" in footer
    assert ">Instagram</a>" in footer
    assert 'href="https://exemple.org/carbu"' in footer
    assert ">Notre blog</a>" in footer


def test_footer__without_settings_shows_no_empty_contact_lines(client, home_page) -> None:
    html = client.get("/").content.decode()
    assert "<address>" not in html
    assert "Téléphone" not in html
    assert "Suivez-nous" not in html


def test_header_menu__lists_pages_in_order_with_label_overrides(
    client, publish_page, navigation_settings
) -> None:
    about = publish_page("Qui sommes-nous ?", slug="a-propos")
    access = publish_page("Accès et horaires", slug="acces")
    navigation_settings.header_links = [
        ("item", {"page": access, "label": "Venir"}),
        ("item", {"page": about, "label": ""}),
    ]
    navigation_settings.save()

    html = client.get("/").content.decode()
    assert '<nav class="main-nav" aria-label="Menu principal">' in html
    nav = main_menu(html)
    assert nav.index('<a href="/acces/">Venir</a>') < nav.index(
        '<a href="/a-propos/">Qui sommes-nous ?</a>'
    )


def test_header_menu__is_a_disclosure_that_works_without_javascript(client, home_page) -> None:
    html = client.get("/").content.decode()
    assert '<details class="site-menu" data-site-menu>' in html
    assert '<summary class="site-menu__toggle">Menu</summary>' in html


def test_header_menu__marks_the_current_page_and_section(
    client, publish_page, navigation_settings
) -> None:
    about = publish_page("À propos", slug="a-propos")
    team = publish_page("L'équipe", slug="equipe", parent=about)
    navigation_settings.header_links = [("item", {"page": about, "label": ""})]
    navigation_settings.save()

    assert 'href="/a-propos/" aria-current="page"' in client.get(about.url).content.decode()
    assert 'href="/a-propos/" aria-current="true"' in client.get(team.url).content.decode()
    assert "aria-current" not in client.get("/").content.decode().split("</nav>")[0]


def test_footer_links__come_from_navigation_settings(
    client, publish_page, navigation_settings
) -> None:
    # Not « Mentions légales »: the legal app's migration already made that page.
    access = publish_page("Plan d'accès", slug="plan-d-acces")
    navigation_settings.footer_links = [("item", {"page": access, "label": ""})]
    navigation_settings.save()
    html = client.get("/").content.decode()
    footer_nav = fragment(html, 'aria-label="Liens du pied de page"', "</nav>")
    assert '<a href="/plan-d-acces/">Plan d&#x27;accès</a>' in footer_nav


def test_menu__skips_pages_that_are_not_live(client, publish_page, navigation_settings) -> None:
    draft = publish_page("Brouillon", slug="brouillon", live=False)
    navigation_settings.header_links = [("item", {"page": draft, "label": ""})]
    navigation_settings.save()
    assert "/brouillon/" not in client.get("/").content.decode()


def test_menu__follows_a_renamed_page_once_republished(
    client, publish_page, navigation_settings
) -> None:
    about = publish_page("À propos", slug="a-propos")
    navigation_settings.header_links = [("item", {"page": about, "label": ""})]
    navigation_settings.save()
    assert ">À propos</a>" in client.get("/").content.decode()

    about.title = "Le lieu"
    about.slug = "le-lieu"
    about.save_revision().publish()
    html = client.get("/").content.decode()
    assert '<a href="/le-lieu/">Le lieu</a>' in html
    assert "/a-propos/" not in html


def test_menu__drops_a_deleted_page(client, publish_page, navigation_settings) -> None:
    about = publish_page("À propos", slug="a-propos")
    navigation_settings.header_links = [("item", {"page": about, "label": ""})]
    navigation_settings.save()
    assert "/a-propos/" in client.get("/").content.decode()
    about.delete()
    assert "/a-propos/" not in client.get("/").content.decode()


def test_menus__once_cached_cost_no_query(
    publish_page, navigation_settings, home_page, django_assert_num_queries
) -> None:
    pages = [publish_page(f"Page {n}", slug=f"page-{n}") for n in range(8)]
    navigation_settings.header_links = [("item", {"page": p, "label": ""}) for p in pages]
    navigation_settings.footer_links = [("item", {"page": p, "label": ""}) for p in pages[:3]]
    navigation_settings.save()
    site = home_page.get_site()

    with django_assert_num_queries(3):  # the settings row, then one query per menu
        cold = get_navigation(site)
    with django_assert_num_queries(0):
        warm = get_navigation(site)
    assert warm == cold
    assert [link.label for link in warm.header] == [f"Page {n}" for n in range(8)]
    assert len(warm.footer) == 3


def test_header_menu__left_empty_lists_pages_shown_in_menus(client, publish_page) -> None:
    publish_page("Programmes", slug="programmes", show_in_menus=True)
    publish_page("Plan du site", slug="plan-du-site", show_in_menus=False)
    publish_page("Résidents", slug="residents", show_in_menus=True)
    html = client.get("/").content.decode()
    nav = main_menu(html)
    assert nav.index(">Programmes</a>") < nav.index(">Résidents</a>")
    assert "Plan du site" not in nav


def test_demo__fills_the_footer_once_and_keeps_edits(client, home_page) -> None:
    call_command("load_demo", verbosity=0)
    html = client.get("/").content.decode()
    assert "13015 Marseille" in html
    assert ">Le Carburateur</a></li>" in html  # the demo's about page, shown in menus

    settings = SiteSettings.for_site(home_page.get_site())
    settings.contact_email = "contact@exemple.fr"
    settings.save()
    call_command("load_demo", verbosity=0)
    assert SiteSettings.for_site(home_page.get_site()).contact_email == "contact@exemple.fr"


@pytest.mark.parametrize(
    ("model", "label"),
    [("sitesettings", "Courriel de contact"), ("navigationsettings", "Menu principal")],
)
def test_settings__editable_in_the_admin(admin_client_logged, home_page, model, label) -> None:
    site = home_page.get_site()
    response = admin_client_logged.get(f"/admin/settings/home/{model}/{site.pk}/")
    assert response.status_code == 200
    assert label in response.content.decode()


def test_settings__admin_refuses_an_unnamed_other_social_link(admin_client_logged, home_page):
    site = home_page.get_site()
    url = f"/admin/settings/home/sitesettings/{site.pk}/"
    response = admin_client_logged.post(
        url,
        {
            "address": "",
            "postal_code": "13015",
            "city": "Marseille",
            "phone": "",
            "contact_email": "pas-un-courriel",
            "opening_hours": "",
            "social_links-count": "1",
            "social_links-0-type": "link",
            "social_links-0-deleted": "",
            "social_links-0-order": "0",
            "social_links-0-value-network": "other",
            "social_links-0-value-url": "https://exemple.org",
            "social_links-0-value-label": "",
        },
    )
    assert response.status_code == 200  # the form comes back with its errors
    assert SiteSettings.for_site(site).postal_code == ""
    html = response.content.decode()
    assert "Donnez un libell" in html
    assert "Saisissez une adresse" in html  # the e-mail field error


def test_page__with_menus_and_footer_renders_in_ten_queries_once_warm(
    client, publish_page, site_settings, navigation_settings, django_assert_max_num_queries
) -> None:
    pages = [publish_page(f"Page {n}", slug=f"page-{n}") for n in range(6)]
    navigation_settings.header_links = [("item", {"page": p, "label": ""}) for p in pages]
    navigation_settings.footer_links = [("item", {"page": p, "label": ""}) for p in pages]
    navigation_settings.save()
    client.get(pages[0].url)
    # Site lookup, page routing (3), specific page, view restrictions, breadcrumb ancestors,
    # site settings, the footer's sign-up form (consent wording, topics): the menus themselves
    # come from the cache.
    with django_assert_max_num_queries(10):
        response = client.get(pages[0].url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Page 0 — Le Carburateur</title>" in html
    for page in pages:  # both menus, from the cache
        assert html.count(f'href="{page.url}"') >= 2, page.url
