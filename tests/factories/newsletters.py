"""Newsletter issues and their archive, topics, subscribers and the consent ledger."""

from __future__ import annotations

import json
from typing import Any

import factory

from django.utils import timezone

from newsletters.addresses import address_hash
from newsletters.models import (
    ConsentEvent,
    ConsentWording,
    NewsletterIndexPage,
    NewsletterPage,
    Subscriber,
    Topic,
)

from .pages import PageFactory, home_page, under_home


def text_block(html: str) -> dict[str, Any]:
    """A text block of an issue's body, in the raw form a StreamField accepts."""
    return {"type": "text", "value": html}


class NewsletterIndexPageFactory(PageFactory):
    class Meta:
        model = NewsletterIndexPage

    parent = factory.LazyFunction(home_page)
    title = "Les lettres"
    slug = "lettres"
    introduction = "Archive."


class TopicFactory(factory.django.DjangoModelFactory):
    """A topic, or the one of that slug if it exists (the data migration creates three)."""

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = "actualites"
    name = factory.LazyAttribute(lambda topic: topic.slug.capitalize())


class NewsletterPageFactory(PageFactory):
    """An issue of the « actualites » topic in the archive (created with it if missing)."""

    class Meta:
        model = NewsletterPage

    class Params:
        blocks = factory.LazyFunction(lambda: [text_block("<p>Bonjour à toutes et à tous.</p>")])

    parent = under_home(NewsletterIndexPageFactory)
    title = "Lettre de mars"
    slug = factory.Sequence(lambda n: f"lettre-{n + 1}")
    subject = "Les nouvelles de mars"
    preheader = "Trois rendez-vous et un concours"
    topic = factory.SubFactory(TopicFactory)
    body = factory.LazyAttribute(lambda issue: json.dumps(issue.blocks))


class SubscriberFactory(factory.django.DjangoModelFactory):
    """A confirmed subscriber; ``topics`` is a list of topics or of their slugs."""

    class Meta:
        model = Subscriber
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"lecteur{n}@example.fr")
    email_hash = factory.LazyAttribute(lambda subscriber: address_hash(subscriber.email))
    status = Subscriber.Status.CONFIRMED
    source = "test"
    confirmed_at = factory.LazyAttribute(
        lambda subscriber: (
            timezone.now() if subscriber.status == Subscriber.Status.CONFIRMED else None
        )
    )

    @factory.post_generation
    def topics(subscriber: Subscriber, create: bool, extracted: Any, **_: Any) -> None:
        if create and extracted:
            slugs = [topic if isinstance(topic, str) else topic.slug for topic in extracted]
            subscriber.topics.set(Topic.objects.filter(slug__in=slugs))


class ConsentEventFactory(factory.django.DjangoModelFactory):
    """A subscription recorded in the (append-only) consent ledger, under the current wording."""

    class Meta:
        model = ConsentEvent

    kind = ConsentEvent.Kind.SUBSCRIPTION
    address_hash = "a" * 64
    topics = factory.LazyFunction(lambda: ["actualites"])
    wording = factory.LazyFunction(ConsentWording.current)
    source = "page /"
    client_network = "203.0.113.0/24"
