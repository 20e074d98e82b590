from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from django.core import mail
from django.test import Client
from django.utils import timezone

from mailing.models import Suppression
from subscriptions import emails as mailing
from subscriptions.models import ConsentEvent, Subscriber

from .conftest import link_to, page_text

pytestmark = pytest.mark.django_db


def test_confirmation_link__confirms_and_applies_the_requested_topics(
    subscribe: Any, client: Client
) -> None:
    subscribe("marie@example.fr", topics=["actualites", "formations-cma"])
    response = client.post(link_to(mail.outbox[0], "confirm"))

    assert response.status_code == 200
    assert "Inscription confirmée" in page_text(response)
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None
    assert subscriber.topic_slugs == ["actualites", "formations-cma"]
    event = ConsentEvent.objects.filter(kind=ConsentEvent.Kind.CONFIRMATION).get()
    assert event.topics == ["actualites", "formations-cma"]
    assert event.wording.version == 1


def test_confirmation_link__opening_it_confirms_nothing_and_offers_one_button(
    subscribe: Any, client: Client
) -> None:
    # Mail filters open every link in a message: only the button's POST may confirm.
    subscribe()
    link = link_to(mail.outbox[0], "confirm")

    response = client.get(link)

    assert response.status_code == 200
    html = page_text(response)
    assert html.count("<h1>") == 1
    assert "<h1>Confirmer votre inscription</h1>" in html
    assert html.count('<button type="submit">Confirmer mon inscription</button>') == 1
    assert '<form method="post">\n  <button type="submit">Confirmer mon inscription' in html
    assert "no-cache" in response["Cache-Control"]
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING
    assert not ConsentEvent.objects.filter(kind=ConsentEvent.Kind.CONFIRMATION).exists()
    # The same link, posted by the button, confirms: the GET above was a valid request.
    assert client.post(link).status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_confirmation_button__needs_no_csrf_token_nor_cookie(subscribe: Any) -> None:
    # The token in the link is the credential; a browser without cookies can still confirm.
    subscribe()

    response = Client(enforce_csrf_checks=True).post(link_to(mail.outbox[0], "confirm"))

    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED


def test_confirmation_link__twice_gives_a_clear_page_and_no_second_event(
    subscribe: Any, client: Client
) -> None:
    subscribe()
    link = link_to(mail.outbox[0], "confirm")
    client.post(link)
    response = client.post(link)
    assert response.status_code == 200
    assert "déjà confirmée" in page_text(response)
    assert ConsentEvent.objects.filter(kind=ConsentEvent.Kind.CONFIRMATION).count() == 1


def test_confirmation_link__expired_after_seven_days_changes_nothing(
    subscribe: Any, client: Client
) -> None:
    subscribe()
    link = link_to(mail.outbox[0], "confirm")
    with time_machine.travel(timezone.now() + timedelta(days=7, minutes=1)):
        response = client.post(link)
    assert response.status_code == 410
    assert "Ce lien n'est plus valable" in page_text(response)
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_confirmation_link__still_valid_on_the_sixth_day(subscribe: Any, client: Client) -> None:
    subscribe()
    link = link_to(mail.outbox[0], "confirm")
    with time_machine.travel(timezone.now() + timedelta(days=6, hours=23)):
        assert client.post(link).status_code == 200
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
    response = client.post(f"/newsletter/confirmer/{tamper(token)}/")
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
    client.post(link_to(message, "confirm"))
    subscriber.refresh_from_db()
    assert subscriber.topic_slugs == ["concours-votes"]
    assert Subscriber.objects.count() == 1
    assert ConsentEvent.objects.filter(kind=ConsentEvent.Kind.TOPICS_CHANGED).count() == 1


def test_confirmation_link__issued_before_an_unsubscription_is_stale(
    subscribe: Any, client: Client
) -> None:
    subscribe()
    old_link = link_to(mail.outbox[0], "confirm")
    client.post(old_link)
    client.post(mailing.unsubscribe_url(Subscriber.objects.get()))
    response = client.post(old_link)
    assert response.status_code == 410
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert Suppression.objects.exists()


def test_confirmation__afresh_after_unsubscribing_lifts_the_suppression(
    confirmed: Any, client: Client
) -> None:
    subscriber = confirmed()
    from subscriptions import services

    services.unsubscribe(subscriber, source="test", client_network="")
    assert Suppression.objects.filter(address_hash=subscriber.email_hash).exists()
    subscriber = confirmed()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert not Suppression.objects.exists()
