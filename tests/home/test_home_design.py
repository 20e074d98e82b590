"""The home page's hero and sections, and one newsletter sign-up form per page at most."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest
from bs4 import BeautifulSoup

from django.core.management import call_command
from django.template.loader import render_to_string
from django.test import Client, RequestFactory
from django.utils import timezone

from core.demo import DemoReport
from home.demo import ensure_hero_image
from home.models import HomePage
from members.models import MemberIndexPage
from programs.models import EventIndexPage, ProgramIndexPage
from tests.factories.home import StandardPageFactory
from tests.factories.members import MemberIndexPageFactory, MemberPageFactory
from tests.factories.pages import ImageFactory


def _soup(client: Client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


def _signup_forms(html: BeautifulSoup) -> int:
    return len(html.select("form.newsletter-signup"))


@pytest.mark.django_db
def test_home__demo_hero_and_sections(client: Client) -> None:
    """One demo load (it takes a while) for what only a full site shows."""
    call_command("load_demo", verbosity=0)
    home = HomePage.objects.get()
    html = _soup(client, "/")

    hero = html.select_one("main .hero")
    assert hero.h1.get_text(strip=True) == home.title
    assert home.introduction in hero.get_text()
    assert "1\xa0800\xa0m²" in hero.select_one(".key-figures").get_text()
    calls = {link.get_text(strip=True): link["href"] for link in hero.select("a.button")}
    assert calls == {
        "Être accompagné": ProgramIndexPage.objects.get().url,
        "Agenda": EventIndexPage.objects.get().url,
    }
    # load_demo shows the building's picture
    assert hero.img["alt"] == home.hero_image.title == "Les locaux du Carburateur"

    titles = [section.h2.get_text(strip=True) for section in html.select("main section.section")]
    assert titles == [
        "Programmes à la une",
        "Prochains événements",
        "Nos résidents",
        "Actualités",
        "Concours en cours",
    ]
    residents = html.select_one('section[aria-labelledby="section-residents"]')
    assert len(residents.select(".member-card")) == 3
    assert residents.select_one("a.section__more")["href"] == MemberIndexPage.objects.get().url


@pytest.mark.django_db
def test_hero__image_loads_first_with_its_size_reserved(
    client: Client, home_page: HomePage
) -> None:
    home_page.hero_image = ImageFactory(title="Le bâtiment")
    home_page.save_revision().publish()

    image = _soup(client, "/").select_one("main .hero img")

    assert image["alt"] == "Le bâtiment"
    assert int(image["width"]) > 0 and int(image["height"]) > 0
    assert image["fetchpriority"] == "high"
    assert image.get("loading") != "lazy"


@pytest.mark.django_db
def test_hero__without_image_keeps_its_title(client: Client, home_page: HomePage) -> None:
    hero = _soup(client, "/").select_one("main .hero")

    assert hero.h1 is not None
    assert hero.img is None
    assert "hero--with-image" not in hero["class"]


@pytest.mark.django_db
def test_demo__keeps_the_hero_image_an_editor_chose(home_page: HomePage) -> None:
    chosen = ImageFactory(title="Les résidents")
    home_page.hero_image = chosen
    home_page.save_revision().publish()

    ensure_hero_image(home_page, DemoReport())

    home_page.refresh_from_db()
    assert home_page.hero_image == chosen


@pytest.mark.django_db
def test_demo__shows_the_building_when_no_image_was_chosen(home_page: HomePage) -> None:
    ensure_hero_image(home_page, DemoReport())

    home_page.refresh_from_db()
    assert home_page.hero_image.title == "Les locaux du Carburateur"
    assert not home_page.has_unpublished_changes


@pytest.mark.django_db
def test_sections__residents_are_the_latest_to_join(client: Client, home_page: HomePage) -> None:
    directory = MemberIndexPageFactory(parent=home_page, title="Les résidents")
    MemberPageFactory(
        parent=directory,
        title="Ancien",
        company_name="Ancien",
        first_published_at=timezone.now() - timedelta(days=400),
    )
    newcomer = MemberPageFactory(
        parent=directory,
        title="Atelier Nouveau",
        company_name="Atelier Nouveau",
        first_published_at=timezone.now(),
    )

    residents = _soup(client, "/").select_one('section[aria-labelledby="section-residents"]')

    assert newcomer.company_name in residents.select_one(".card__title").get_text()


@pytest.mark.django_db
def test_one_signup_form__on_home_and_standard_pages(client: Client, home_page: HomePage) -> None:
    page = StandardPageFactory(title="Accès", slug="acces", revision=True)

    for url in ("/", page.url):
        html = _soup(client, url)
        assert _signup_forms(html) == 1, url
        assert html.select_one("footer form.newsletter-signup") is not None, url


@pytest.mark.django_db
def test_one_signup_form__the_signup_page_has_only_its_own(
    client: Client, home_page: HomePage
) -> None:
    html = _soup(client, "/newsletter/")

    assert _signup_forms(html) == 1
    assert html.select_one("main form.newsletter-signup") is not None


@pytest.mark.parametrize(
    "template",
    [
        "newsletters/confirm.html",
        "newsletters/confirmed.html",
        "newsletters/thanks.html",
        "newsletters/unsubscribe.html",
        "newsletters/unsubscribed.html",
        "reminders/confirm.html",
        "reminders/confirmed.html",
        "reminders/thanks.html",
        "reminders/opt_out.html",
        "reminders/opted_out.html",
    ],
)
@pytest.mark.django_db
def test_no_signup_form__on_the_pages_about_a_subscription_or_a_reminder(
    home_page: HomePage, template: str
) -> None:
    request = RequestFactory().get("/newsletter/merci/")
    contest = SimpleNamespace(title="La Fabrique", url="/concours/", vote_closes_at=timezone.now())
    subscriber = SimpleNamespace(email="a@example.fr", status="confirmed")
    html = render_to_string(
        template,
        {"contest": contest, "subscriber": subscriber, "token": "t", "reminders": []},
        request=request,
    )

    assert 'class="site-footer' in html  # the footer itself is still there
    assert _signup_forms(BeautifulSoup(html, "html.parser")) == 0


@pytest.mark.django_db
def test_no_signup_form__on_the_preferences_page(client: Client, home_page: HomePage) -> None:
    from subscriptions.models import Subscriber
    from subscriptions.tokens import make_personal_token

    subscriber = Subscriber.objects.create(email="lectrice@example.fr", status="confirmed")
    html = _soup(client, f"/newsletter/preferences/{make_personal_token(subscriber.public_id)}/")

    assert _signup_forms(html) == 0
    saving = html.find("button", string="Enregistrer mes thèmes")
    leaving = html.find("button", string="Me désinscrire de toutes les lettres")
    # Two actions that do opposite things do not look alike.
    assert saving["class"] != leaving["class"]
    assert "button--quiet" in leaving["class"]
