"""Demo content for the newsletters: the archive, a sent issue, a draft issue to approve, a few
subscribers.

Idempotent, called by ``load_demo``. The draft shows the whole path in a local run: approval,
a test send, then the send to the demo subscribers. The sent issue fills the public archive,
which lists only issues that went out.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence

from django.utils import timezone

from wagtail.models import Page

from core.demo import DemoReport, ensure_page
from subscriptions.demo import load_demo_subscribers
from subscriptions.models import Subscriber, Topic

from .models import Delivery, NewsletterIndexPage, NewsletterPage, Send

ISSUE_SLUG = "lettre-du-printemps"
SENT_ISSUE_SLUG = "lettre-de-la-rentree"
#: How long ago the demo's sent issue went out.
SENT_ISSUE_AGE = dt.timedelta(days=60)


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
    ensure_sent_issue(index, topic, report)


def ensure_sent_issue(index: NewsletterIndexPage, topic: Topic, report: DemoReport) -> None:
    """A published issue with its finished send, one delivery per demo subscriber: what the
    archive shows after a real send (without mailing anyone)."""
    if index.get_children().filter(slug=SENT_ISSUE_SLUG).exists():
        report.existing += 1
        return
    body = [
        {"type": "heading", "value": {"text": "Une rentrée bien remplie", "level": "h2"}},
        {
            "type": "text",
            "value": "<p>Les permanences de la Chambre de métiers et de l'artisanat reprennent "
            "chaque mardi matin, trois nouvelles entreprises s'installent dans les ateliers et "
            "les votes de La Fabrique Aviva s'ouvrent bientôt : soutenez nos résidents.</p>"
            "<p>Vous créez une entreprise artisanale ? Prenez rendez-vous pour une réunion "
            "d'information : elle est gratuite et dure deux heures.</p>",
        },
    ]
    issue = NewsletterPage(
        title="La lettre de la rentrée",
        slug=SENT_ISSUE_SLUG,
        subject="La rentrée au Carburateur",
        preheader="Permanences de la CMA, nouveaux résidents, La Fabrique Aviva",
        topic=topic,
        body=json.dumps(body),
    )
    index.add_child(instance=issue)
    revision = issue.save_revision()
    revision.publish()
    sent_at = timezone.now() - SENT_ISSUE_AGE
    NewsletterPage.objects.filter(pk=issue.pk).update(
        first_published_at=sent_at, last_published_at=sent_at
    )
    recipients = list(Subscriber.objects.filter(topics=topic, status=Subscriber.Status.CONFIRMED))
    send = Send.objects.create(
        page=issue,
        revision=revision,
        topic=topic,
        subject=issue.subject,
        scheduled_at=sent_at,
        started_at=sent_at,
        finished_at=sent_at + dt.timedelta(seconds=1),
        last_activity_at=sent_at + dt.timedelta(seconds=1),
        status=Send.Status.DONE,
        recipient_count=len(recipients),
    )
    Delivery.objects.bulk_create(
        Delivery(
            send=send, subscriber=subscriber, state=Delivery.State.SENT, sent_at=sent_at, attempts=1
        )
        for subscriber in recipients
    )
    report.created += 1


def _agenda_pk(home: Page) -> int:
    """The agenda the demo loads (programs), else the home page: a link on this site."""
    agenda = home.get_children().filter(slug="agenda").values_list("pk", flat=True).first()
    return agenda or home.pk
