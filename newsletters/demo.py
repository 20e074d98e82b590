"""Demo content for the newsletters: the archive, a draft issue to approve, a few subscribers.

Idempotent, called by ``load_demo``. The issue is left as a draft so that a local run shows
the whole path: approval, a test send, then the send to the demo subscribers.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from wagtail.models import Page

from core.demo import DemoReport, ensure_page
from subscriptions.demo import load_demo_subscribers
from subscriptions.models import Topic

from .models import NewsletterIndexPage, NewsletterPage

ISSUE_SLUG = "lettre-du-printemps"


def load_newsletters_demo(
    home: Page, report: DemoReport, card_types: Sequence[type[Page]] = ()
) -> None:
    """Build the archive under ``home``, a draft issue showing the latest pages of
    ``card_types`` as cards, and a few subscribers."""
    index = ensure_page(
        home,
        NewsletterIndexPage,
        "lettres",
        {
            "title": "Lettres d'information",
            "introduction": "Les lettres du Carburateur, telles qu'elles ont été envoyées.",
        },
        report,
    )
    topic = Topic.objects.get(slug="actualites")
    if not index.get_children().filter(slug=ISSUE_SLUG).exists():
        cards = list(
            Page.objects.live()
            .type(*card_types)
            .order_by("-first_published_at")
            .values_list("pk", flat=True)[:3]
        )
        body = [
            {"type": "heading", "value": {"text": "Le printemps au Carburateur", "level": "h2"}},
            {
                "type": "text",
                "value": "<p>Portes ouvertes, nouveaux résidents et ateliers avec la Chambre de "
                "métiers et de l'artisanat : voici ce qui vous attend ce printemps.</p>",
            },
            {
                "type": "call_to_action",
                "value": {
                    "text": "Voir l'agenda",
                    # The agenda of this site, wherever it is served (SITE_URL).
                    "page": _agenda_pk(home),
                    "url": "",
                },
            },
        ]
        if cards:
            body.append({"type": "cards", "value": {"heading": "À découvrir", "pages": cards}})
        issue = NewsletterPage(
            title="La lettre du printemps",
            slug=ISSUE_SLUG,
            subject="Le printemps au Carburateur",
            preheader="Portes ouvertes, nouveaux résidents, ateliers",
            topic=topic,
            body=json.dumps(body),
            live=False,
        )
        index.add_child(instance=issue)
        issue.save_revision()
        report.created += 1
    else:
        report.existing += 1
    load_demo_subscribers(topic, report)


def _agenda_pk(home: Page) -> int:
    """The agenda the demo loads (programs), else the home page: a link on this site."""
    agenda = home.get_children().filter(slug="agenda").values_list("pk", flat=True).first()
    return agenda or home.pk
