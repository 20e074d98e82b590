"""Content at a realistic size for query-count tests and the benchmark.

The demo holds a handful of pages of each kind; a live site holds hundreds. This adds residents,
events and articles under the demo's index pages, published (live, with a first publication
date) but without revisions: a revision per page would triple the time and change nothing a
visitor sees. Pages share a few images, as real listings mostly do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.models import Page

from members.models import MemberIndexPage, MemberPage, SpaceType, Trade
from news.models import ArticlePage, NewsIndexPage
from programs.models import EventIndexPage, EventPage, ProgramPage

SPACES = [choice for choice, _label in SpaceType.choices]


@dataclass(frozen=True)
class BulkSize:
    residents: int = 500
    events: int = 500
    articles: int = 200


def _add(parent: Page, page: Page) -> Page:
    now = timezone.now()
    page.live = True
    page.first_published_at = page.last_published_at = now
    return parent.add_child(instance=page)


@transaction.atomic
def load_bulk_content(size: BulkSize = BulkSize()) -> None:
    """Add ``size`` residents, events and articles to a site that already holds the demo."""
    directory = MemberIndexPage.objects.get()
    agenda = EventIndexPage.objects.get()
    news = NewsIndexPage.objects.get()
    trades = list(Trade.objects.all()) or [Trade.objects.create(name="Artisanat", slug="art")]
    images = list(get_image_model().objects.order_by("pk")[:8])
    programs = list(ProgramPage.objects.live())
    start = timezone.now() + timedelta(hours=2)

    for n in range(size.residents):
        _add(
            directory,
            MemberPage(
                title=f"Résident n° {n}",
                slug=f"resident-{n}",
                company_name=f"Entreprise {n}",
                founders="Fondatrice et fondateur",
                trade=trades[n % len(trades)],
                is_artisan=n % 3 == 0,
                space_type=SPACES[n % len(SPACES)],
                summary="Une entreprise des quartiers Nord, hébergée au Carburateur.",
                logo=images[n % len(images)] if images else None,
            ),
        )
    for n in range(size.events):
        begins = start + timedelta(hours=6 * n)
        _add(
            agenda,
            EventPage(
                title=f"Atelier n° {n}",
                slug=f"atelier-{n}",
                program=programs[n % len(programs)] if programs else None,
                start=begins,
                end=begins + timedelta(hours=2),
                place="Salle de formation, Le Carburateur",
                registration_text="Inscription à l'accueil.",
                summary="Une séance d'atelier ouverte aux résidents et aux porteurs de projet.",
            ),
        )
    today = timezone.localdate()
    for n in range(size.articles):
        article = ArticlePage(
            title=f"Actualité n° {n}",
            slug=f"actualite-{n}",
            date=today - timedelta(days=30 + n),
            author="L'équipe du Carburateur",
            introduction="Des nouvelles du Carburateur et de ses résidents.",
            listing_image=images[n % len(images)] if images else None,
            body=[("paragraph", "<p>Des nouvelles du Carburateur et de ses résidents.</p>")],
        )
        article.tags.add("vie du lieu", f"thème {n % 5}")
        _add(news, article)
