"""Building newsletter issues and confirmed subscribers quickly, for the sending tests, and
checking what the SMTP server received from a send."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from email.header import decode_header, make_header
from typing import Any

from django.utils import timezone

from home.models import HomePage
from mailing.addresses import address_hash
from newsletters.models import Delivery, NewsletterIndexPage, NewsletterPage, Send
from subscriptions.models import Subscriber, Topic
from tests.services import SmtpInbox


def newsletter_index(home: HomePage) -> NewsletterIndexPage:
    existing = NewsletterIndexPage.objects.first()
    if existing is not None:
        return existing
    index = NewsletterIndexPage(title="Les lettres", slug="lettres", introduction="Archive.")
    home.add_child(instance=index)
    index.save_revision().publish()
    return index


def text_block(html: str) -> dict[str, Any]:
    return {"type": "text", "value": html}


def make_issue(
    home: HomePage,
    topic: Topic,
    *,
    title: str = "Lettre de mars",
    subject: str = "Les nouvelles de mars",
    body: list[dict[str, Any]] | None = None,
    publish: bool = True,
) -> NewsletterPage:
    """An issue under the archive; published (as an approved issue is) unless told not to."""
    index = newsletter_index(home)
    page = NewsletterPage(
        title=title,
        slug=f"lettre-{uuid.uuid4().hex[:8]}",
        subject=subject,
        preheader="Trois rendez-vous et un concours",
        topic=topic,
        body=json.dumps(body or [text_block("<p>Bonjour à toutes et à tous.</p>")]),
        live=False,
    )
    index.add_child(instance=page)
    revision = page.save_revision()
    if publish:
        revision.publish()
    page.refresh_from_db()
    return page


def make_subscribers(
    count: int,
    topic: Topic,
    *,
    prefix: str = "lecteur",
    status: str = Subscriber.Status.CONFIRMED,
) -> list[Subscriber]:
    """``count`` subscribers of ``topic`` in two queries, whatever ``count``."""
    now = timezone.now()
    subscribers = Subscriber.objects.bulk_create(
        [
            Subscriber(
                email=f"{prefix}{number}@example.fr",
                email_hash=address_hash(f"{prefix}{number}@example.fr"),
                status=status,
                source="test",
                confirmed_at=now if status == Subscriber.Status.CONFIRMED else None,
            )
            for number in range(count)
        ]
    )
    if not subscribers or subscribers[0].pk is None:  # backends that return no ids
        subscribers = list(Subscriber.objects.filter(email__startswith=prefix).order_by("pk"))
    Subscriber.topics.through.objects.bulk_create(
        [Subscriber.topics.through(subscriber_id=s.pk, topic_id=topic.pk) for s in subscribers]
    )
    return subscribers


def assert_exactly_one_each(
    inbox: SmtpInbox, subscribers: list[Subscriber], *, subject: str | None = None
) -> None:
    """The server accepted one message for each subscriber, and none for anyone else.

    With ``subject``, only the messages of that subject count (several sends in one test).
    """
    with inbox.lock:
        counts = Counter(
            message["To"]
            for message in inbox.messages
            if subject is None or str(make_header(decode_header(message["Subject"]))) == subject
        )
    assert sorted(counts) == sorted(s.email for s in subscribers)
    assert set(counts.values()) == {1}, [a for a, n in counts.items() if n > 1]


def sent_rows(send: Send) -> int:
    return Delivery.objects.filter(send=send, state=Delivery.State.SENT).count()
