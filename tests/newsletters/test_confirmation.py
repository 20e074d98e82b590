from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from django.core import mail
from django.test import Client
from django.utils import timezone

from newsletters import mailing
from newsletters.models import ConsentEvent, Subscriber, Suppression

from .conftest import link_to, page_text

pytestmark = pytest.mark.django_db


def test_confirmation_link__confirms_and_applies_the_requested_topics(
    subscribe: Any, client: Client
) -> None:
    subscribe("marie@example.fr", topics=["actualites", "formations-cma"])
    response = client.get(link_to(mail.outbox[0], "confirm"))

    assert response.status_code == 200
    assert "Inscription confirmée" in page_text(response)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert subscriber.topic_slugs == ["actualites", "formations-cma"]
    event = ConsentEvent.objects.filter(kind=ConsentEvent.Kind.CONFIRMATION).get()
    assert event.topics == ["actualites", "formations-cma"]
    assert event.wording.version == 1


def test_confirmation_link__twice_gives_a_clear_page_and_no_second_event(
    subscribe: Any, client: Client
) -> None:
    subscribe()
    link = link_to(mail.outbox[0], "confirm")
    client.get(link)
    response = client.get(link)
    assert response.status_code == 200
    assert "déjà confirmée" in page_text(response)
    assert ConsentEvent.objects.filter(kind=ConsentEvent.Kind.CONFIRMATION).count() == 1


def test_confirmation_link__expired_after_seven_days_changes_nothing(
    subscribe: Any, client: Client
) -> None:
    subscribe()
    link = link_to(mail.outbox[0], "confirm")
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.get(link)
    assert response.status_code == 410
    assert "Ce lien n'est plus valable" in page_text(response)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_confirmation_link__still_valid_on_the_sixth_day(subscribe: Any, client: Client) -> None:
    subscribe()
    link = link_to(mail.outbox[0], "confirm")
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client.get(link).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


@pytest.mark.parametrize(
    "tamper",
    [
        lambda token: token[:-1] + ("A" if token[-1] != "A" else "B"),
        lambda token: "eyJzIjoiMDAwMDAwMDAtMDAwMC0wMDAwLTAwMDAtMDAwMDAwMDAwMDAwIiwiZSI6MX0:x:y",
        lambda token: token.split(":", 1)[0],
        lambda token: "%FF%FE",
    ],
    ids=["altered-signature", "forged", "truncated", "non-utf8"],
)
def test_confirmation_link__tampered_token_changes_nothing(
    subscribe: Any, client: Client, tamper: Any
) -> None:
    subscribe()
    link = link_to(mail.outbox[0], "confirm")
    token = link.rstrip("/").rsplit("/", 1)[1]
    response = client.get(f"/newsletter/confirmer/{tamper(token)}/")
    assert response.status_code == 400
    assert "Ce lien n'est pas valable" in page_text(response)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert not ConsentEvent.objects.filter(kind=ConsentEvent.Kind.CONFIRMATION).exists()


def test_subscribing_again__changes_topics_only_once_confirmed(
    confirmed: Any, subscribe: Any, client: Client
) -> None:
    subscriber = confirmed("marie@example.fr", topics=["actualites"])
    subscribe("Marie@Example.FR", topics=["concours-votes"])

    assert subscriber.topic_slugs == ["actualites"]
    [message] = mail.outbox
    assert message.subject.startswith("Confirmez vos nouveaux thèmes")
    client.get(link_to(message, "confirm"))
    subscriber.refresh_from_db()
    assert subscriber.topic_slugs == ["concours-votes"]
    assert Subscriber.objects.count() == 1
    assert ConsentEvent.objects.filter(kind=ConsentEvent.Kind.TOPICS_CHANGED).count() == 1


def test_confirmation_link__issued_before_an_unsubscription_is_stale(
    subscribe: Any, client: Client
) -> None:
    subscribe()
    old_link = link_to(mail.outbox[0], "confirm")
    client.get(old_link)
    client.post(mailing.unsubscribe_url(Subscriber.objects.get()))
    response = client.get(old_link)
    assert response.status_code == 410
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert Suppression.objects.exists()


def test_confirmation__afresh_after_unsubscribing_lifts_the_suppression(
    confirmed: Any, client: Client
) -> None:
    subscriber = confirmed()
    from newsletters import services

    services.unsubscribe(subscriber, source="test", client_network="")
    assert Suppression.objects.filter(address_hash=subscriber.email_hash).exists()
    subscriber = confirmed()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert not Suppression.objects.exists()
