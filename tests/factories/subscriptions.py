"""Topics, subscribers and the consent ledger."""

from __future__ import annotations

from typing import Any

import factory

from django.utils import timezone

from mailing.addresses import address_hash
from subscriptions.models import ConsentEvent, ConsentWording, Subscriber, Topic


class TopicFactory(factory.django.DjangoModelFactory):
    """A topic, or the one of that slug if it exists (the data migration creates three)."""

    class Meta:
        model = Topic
        django_get_or_create = ("slug",)

    slug = "actualites"
    name = factory.LazyAttribute(lambda topic: topic.slug.capitalize())


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
