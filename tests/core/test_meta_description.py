"""Every page type gives search engines a meta description: the editor's search description,
else the page type's own summary (``BasePage.description_sources``), else a generated sentence;
and the promote tab tells the editor which."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from bs4 import BeautifulSoup

from django.test import Client

from wagtail.models import Page

from core.models import BasePage
from core.text import plain_text, shorten
from programs.models import ContestPage, EventPage, ProgramPage
from tests.factories.home import StandardPageFactory
from tests.factories.members import MemberIndexPageFactory, MemberPageFactory
from tests.factories.news import ArticlePageFactory, NewsIndexPageFactory
from tests.factories.newsletters import (
    NewsletterIndexPageFactory,
    NewsletterPageFactory,
    text_block,
)
from tests.factories.pages import home_page
from tests.factories.programs import (
    ContestIndexPageFactory,
    ContestPageFactory,
    EventIndexPageFactory,
    EventPageFactory,
    PartnerIndexPageFactory,
    PartnerPageFactory,
    ProgramIndexPageFactory,
    ProgramPageFactory,
)

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def paragraph(html: str) -> str:
    return json.dumps([{"type": "paragraph", "value": html}])


def description(client: Client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    tag = BeautifulSoup(response.content, "html.parser").find("meta", attrs={"name": "description"})
    assert tag is not None, f"no meta description on {url}"
    return str(tag["content"])


def bare_home_page() -> Page:
    home = home_page()
    home.introduction = ""
    home.save()
    return home


# Each page type left as bare as its editor may leave it: no summary, no introduction, no body.
BARE_PAGES: dict[str, Callable[[], Page]] = {
    "home": bare_home_page,
    "standard": lambda: StandardPageFactory(title="Accès", slug="acces"),
    "program index": lambda: ProgramIndexPageFactory(),
    "program": lambda: ProgramPageFactory(title="Formation gestion", audience="artisans"),
    "event index": lambda: EventIndexPageFactory(),
    "event": lambda: EventPageFactory(
        title="Atelier compta",
        start=datetime(2026, 12, 10, 18, tzinfo=PARIS),
        end=datetime(2026, 12, 10, 20, tzinfo=PARIS),
        place="Salle de formation, Le Carburateur",
    ),
    "contest index": lambda: ContestIndexPageFactory(),
    "contest": lambda: ContestPageFactory(),
    "partner index": lambda: PartnerIndexPageFactory(),
    "partner": lambda: PartnerPageFactory(introduction=""),
    "member index": lambda: MemberIndexPageFactory(introduction=""),
    "member": lambda: MemberPageFactory(company_name="Code Nord"),
    "news index": lambda: NewsIndexPageFactory(introduction=""),
    "article": lambda: ArticlePageFactory(introduction=""),
    "newsletter index": lambda: NewsletterIndexPageFactory(introduction=""),
    "newsletter issue": lambda: NewsletterPageFactory(preheader="", blocks=[]),
}


@pytest.mark.parametrize("kind", BARE_PAGES)
def test_every_page_type__has_a_meta_description_even_left_bare(client: Client, kind: str) -> None:
    page = BARE_PAGES[kind]()
    text = description(client, page.url)
    assert len(text) > 30, (kind, text)
    assert text == plain_text(page.specific.generated_description())


@pytest.mark.parametrize("kind", BARE_PAGES)
def test_every_page_type__the_editor_s_search_description_wins(client: Client, kind: str) -> None:
    page = BARE_PAGES[kind]().specific
    page.search_description = "Ce que l'éditeur a écrit pour Google."
    page.save()
    assert description(client, page.url) == "Ce que l'éditeur a écrit pour Google."


def test_search_and_not_found_pages__have_a_meta_description(client: Client, home_page) -> None:
    assert "Rechercher sur le site du Carburateur" in description(client, "/recherche/?q=bois")
    assert "n'existe pas" in description(client, "/nulle-part/", status=404)


def test_event_index__keeps_its_calendar_link_next_to_its_meta_tags(client: Client) -> None:
    agenda = EventIndexPageFactory(introduction="Les prochains rendez-vous.")
    soup = BeautifulSoup(client.get(agenda.url).content, "html.parser")
    assert soup.find("meta", attrs={"name": "description"})["content"] == (
        "Les prochains rendez-vous."
    )
    assert soup.find("link", rel="canonical") is not None
    assert soup.find("link", type="text/calendar") is not None


def test_news_index__keeps_its_feed_link_next_to_its_meta_tags(client: Client) -> None:
    news = NewsIndexPageFactory(introduction="La vie du hub.")
    soup = BeautifulSoup(client.get(news.url).content, "html.parser")
    assert soup.find("meta", attrs={"name": "description"})["content"] == "La vie du hub."
    assert soup.find("link", type="application/rss+xml") is not None


def test_summary_sources__are_tried_in_the_page_type_s_order(client: Client) -> None:
    program = ProgramPageFactory(body=paragraph("<p>Le <b>premier</b> paragraphe &amp; plus.</p>"))
    assert description(client, program.url) == "Le premier paragraphe & plus."
    program.summary = "Le résumé passe avant le contenu."
    program.save()
    assert description(client, program.url) == "Le résumé passe avant le contenu."


def test_contest__is_described_by_its_rich_text_description(client: Client) -> None:
    contest = ContestPageFactory(description="<p>Un concours <i>utile</i>.</p>")
    assert description(client, contest.url) == "Un concours utile."


def test_newsletter_issue__is_described_by_its_preheader_then_its_first_text(
    client: Client,
) -> None:
    issue = NewsletterPageFactory(preheader="", blocks=[text_block("<p>Bonjour à tous.</p>")])
    assert description(client, issue.url) == "Bonjour à tous."


def test_generated_sentences__say_what_the_page_is() -> None:
    event = EventPage(
        title="Atelier compta",
        start=datetime(2026, 12, 10, 18, tzinfo=PARIS),
        end=datetime(2026, 12, 10, 20, tzinfo=PARIS),
        place="Le Carburateur",
    )
    assert event.generated_description() == (
        "Atelier compta, jeudi 10 décembre 2026 de 18 h 00 à 20 h 00, Le Carburateur."
    )
    program = ProgramPage(title="Formation gestion", kind="formation", is_free=False, price="90 €")
    assert program.generated_description() == (
        "Formation gestion, un programme « Formation » du Carburateur. Tarif : 90 €."
    )
    contest = ContestPage(
        title="La Fabrique Aviva",
        organiser="Aviva France",
        vote_opens_at=datetime(2026, 3, 1, 9, tzinfo=PARIS),
        vote_closes_at=datetime(2026, 4, 1, 12, tzinfo=PARIS),
    )
    assert "organisé par Aviva France" in contest.generated_description()
    assert "du dimanche 1er mars 2026 à 9 h 00" in contest.generated_description()


def test_long_text__is_cut_between_two_words() -> None:
    text = "mot " * 80
    cut = shorten(plain_text(text), 200)
    assert len(cut) <= 200
    assert cut.endswith("mot…")


def test_a_stream_summary__reads_no_image_or_page_it_points_to(django_assert_num_queries) -> None:
    page = StandardPageFactory(
        body=json.dumps(
            [
                {"type": "image", "value": {"image": 999, "alt_text": "", "decorative": True}},
                {"type": "paragraph", "value": "<p>Le texte.</p>"},
            ]
        )
    )
    page = Page.objects.get(pk=page.pk).specific
    with django_assert_num_queries(0):
        assert page.meta_description == "Le texte."


@pytest.mark.parametrize("kind", ["event", "contest", "member", "newsletter issue", "home"])
def test_promote_tab__tells_the_editor_what_an_empty_description_becomes(
    admin_client_logged: Client, kind: str
) -> None:
    page = BARE_PAGES[kind]()
    response = admin_client_logged.get(f"/admin/pages/{page.pk}/edit/")
    assert response.status_code == 200
    help_text = page.specific_class.search_description_help()
    assert "Laissé vide" in help_text
    assert str(page.specific_class.generated_description_hint) in help_text
    soup = BeautifulSoup(response.content, "html.parser")
    field = soup.find(id="id_search_description")
    described_by = soup.find(id=field["aria-describedby"])
    assert plain_text(str(described_by)) == help_text


def test_help_text__names_the_page_type_s_sources_in_order() -> None:
    assert EventPage.search_description_help() == (
        "Le texte que les moteurs de recherche montrent sous le titre de la page, en deux "
        "phrases (200 caractères au plus). Laissé vide : le champ « Résumé », sinon le premier "
        "paragraphe de « Contenu », sinon une phrase donnant la date et le lieu de l'événement."
    )


def test_every_page_type__names_summary_sources_it_has() -> None:
    from django.apps import apps

    for model in apps.get_models():
        if issubclass(model, BasePage):
            for name in model.description_sources:
                model._meta.get_field(name)  # raises for a misspelt source
