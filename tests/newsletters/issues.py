"""Building newsletter issues and confirmed subscribers quickly, for the sending tests, and
checking what the SMTP server received from a send."""

from __future__ import annotations

from collections import Counter
from email.header import decode_header, make_header
from typing import Any

from home.models import HomePage
from newsletters.models import Delivery, NewsletterIndexPage, NewsletterPage, Send
from subscriptions.models import Subscriber, Topic
from tests.factories.newsletters import NewsletterIndexPageFactory, NewsletterPageFactory
from tests.factories.subscriptions import SubscriberFactory
from tests.services import SmtpInbox


def newsletter_index(home: HomePage) -> NewsletterIndexPage:
    return NewsletterIndexPage.objects.first() or NewsletterIndexPageFactory(
        parent=home, revision=True
    )


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
    fields: dict[str, Any] = {"blocks": body} if body else {}
    return NewsletterPageFactory(
        parent=newsletter_index(home),
        title=title,
        subject=subject,
        topic=topic,
        live=False,
        revision=True if publish else "draft",
        **fields,
    )


def make_subscribers(
    count: int,
    topic: Topic,
    *,
    prefix: str = "lecteur",
    status: str = Subscriber.Status.CONFIRMED,
) -> list[Subscriber]:
    """``count`` subscribers of ``topic`` in two queries, whatever ``count``."""
    subscribers = Subscriber.objects.bulk_create(
        [
            SubscriberFactory.build(email=f"{prefix}{number}@example.fr", status=status)
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
