"""Demo content for the newsletters: the archive, a draft issue to approve, a few subscribers.

Idempotent, called by ``load_demo``. The issue is left as a draft so that a local run shows
the whole path: approval, a test send, then the send to the demo subscribers.
"""

from __future__ import annotations

import json

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from home.demo import DemoReport, ensure_page
from home.models import HomePage
from mailing.addresses import address_hash

from .models import ConsentEvent, NewsletterIndexPage, NewsletterPage, Subscriber, Topic
from .services import record_event

DEMO_SUBSCRIBERS = 12
ISSUE_SLUG = "lettre-du-printemps"


def load_newsletters_demo(home: HomePage, report: DemoReport) -> None:
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
            .type(*_card_models())
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
    _demo_subscribers(topic, report)


def _agenda_pk(home: Page) -> int:
    """The agenda the demo loads (programs), else the home page: a link on this site."""
    agenda = home.get_children().filter(slug="agenda").values_list("pk", flat=True).first()
    return agenda or home.pk


def _card_models() -> list[type[Page]]:
    from news.models import ArticlePage

    return [ArticlePage]


def _demo_subscribers(topic: Topic, report: DemoReport) -> None:
    with transaction.atomic():
        for number in range(1, DEMO_SUBSCRIBERS + 1):
            email = f"lecteur{number}@example.org"
            email_hash = address_hash(email)
            subscriber, created = Subscriber.objects.get_or_create(
                email_hash=email_hash,
                defaults={
                    "email": email,
                    "status": Subscriber.Status.CONFIRMED,
                    "source": "démo",
                    "confirmed_at": timezone.now(),
                },
            )
            if not created:
                report.existing += 1
                continue
            subscriber.topics.add(topic)
            record_event(ConsentEvent.Kind.IMPORT, email_hash, topics=[topic], source="démo")
            report.created += 1
