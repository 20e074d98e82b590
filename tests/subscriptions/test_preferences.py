from __future__ import annotations

from typing import Any

import pytest

from django.core import mail
from django.test import Client

from mailing.models import OutboxEmail, Suppression
from subscriptions import emails as mailing
from subscriptions.audience import mailable_subscribers, may_mail
from subscriptions.models import ConsentEvent, Subscriber

from .conftest import link_to, page_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def marie(confirmed: Any) -> Subscriber:
    return confirmed("marie@example.fr", topics=["actualites", "concours-votes"])


def test_every_email__carries_the_personal_preferences_link(subscribe: Any) -> None:
    subscribe()
    message = mail.outbox[0]
    link = link_to(message, "preferences")
    assert link in message.alternatives[0][0]


def test_preferences__change_topics_is_recorded_in_the_ledger(
    marie: Subscriber, client: Client
) -> None:
    url = mailing.preferences_url(marie)
    page = client.get(url)
    assert page.status_code == 200
    assert "marie@example.fr" in page_text(page)

    response = client.post(url, {"topics": ["formations-cma"]})
    assert response.status_code == 200
    assert "Vos préférences sont enregistrées" in page_text(response)
    marie.refresh_from_db()
    assert marie.topic_slugs == ["formations-cma"]
    event = ConsentEvent.objects.filter(kind=ConsentEvent.Kind.TOPICS_CHANGED).get()
    assert event.topics == ["formations-cma"]


def test_preferences__no_topic_or_unknown_topic_is_refused_in_french(
    marie: Subscriber, client: Client
) -> None:
    url = mailing.preferences_url(marie)
    assert "Choisissez au moins un thème" in page_text(client.post(url, {}))
    response = client.post(url, {"topics": ["inconnu"]})
    assert response.status_code == 400
    marie.refresh_from_db()
    assert marie.topic_slugs == ["actualites", "concours-votes"]


def test_preferences__tampered_link_shows_a_clear_page(marie: Subscriber, client: Client) -> None:
    url = mailing.preferences_url(marie)
    response = client.post(url[:-3] + "xx/", {"topics": ["formations-cma"]})
    assert response.status_code == 400
    marie.refresh_from_db()
    assert marie.topic_slugs == ["actualites", "concours-votes"]


def test_unsubscribe__get_only_asks_for_confirmation(marie: Subscriber, client: Client) -> None:
    response = client.get(mailing.unsubscribe_url(marie))
    assert response.status_code == 200
    assert "Confirmer ma désinscription" in page_text(response)
    marie.refresh_from_db()
    assert marie.status == Subscriber.Status.CONFIRMED


def test_unsubscribe__one_click_post_works_without_csrf_token_or_login(
    marie: Subscriber,
) -> None:
    robot_free_client = Client(enforce_csrf_checks=True)
    response = robot_free_client.post(
        mailing.unsubscribe_url(marie), {"List-Unsubscribe": "One-Click"}
    )
    assert response.status_code == 200
    marie.refresh_from_db()
    assert marie.status == Subscriber.Status.UNSUBSCRIBED
    assert marie.topic_slugs == []
    assert Suppression.objects.get().reason == Suppression.Reason.UNSUBSCRIBED
    event = ConsentEvent.objects.filter(kind=ConsentEvent.Kind.UNSUBSCRIPTION).get()
    assert event.source == "désinscription en un clic"
    assert event.topics == ["actualites", "concours-votes"]


def test_unsubscribe__twice_records_one_event(marie: Subscriber, client: Client) -> None:
    url = mailing.unsubscribe_url(marie)
    client.post(url)
    client.post(url)
    assert ConsentEvent.objects.filter(kind=ConsentEvent.Kind.UNSUBSCRIPTION).count() == 1


def test_unsubscribe__tampered_token_changes_nothing(marie: Subscriber, client: Client) -> None:
    url = mailing.unsubscribe_url(marie)
    response = Client(enforce_csrf_checks=True).post(
        url.replace("/desinscription/", "/desinscription/x")
    )
    assert response.status_code == 400
    marie.refresh_from_db()
    assert marie.status == Subscriber.Status.CONFIRMED


def test_unsubscribe__from_the_preferences_page_button(marie: Subscriber, client: Client) -> None:
    page = page_text(client.get(mailing.preferences_url(marie)))
    assert "Me désinscrire de toutes les lettres" in page
    client.post(mailing.unsubscribe_url(marie))
    marie.refresh_from_db()
    assert marie.status == Subscriber.Status.UNSUBSCRIBED
    assert "Vous êtes désinscrit·e" in page_text(client.get(mailing.preferences_url(marie)))


def test_unsubscribe__removes_mail_still_waiting_in_the_outbox(
    marie: Subscriber, client: Client
) -> None:
    OutboxEmail.objects.create(
        kind="newsletter",
        address_hash=marie.email_hash,
        to=marie.email,
        subject="x",
        body_text="x",
    )
    client.post(mailing.unsubscribe_url(marie))
    assert not OutboxEmail.objects.filter(sent_at=None).exists()


def test_audience__only_confirmed_unsuppressed_subscribers_of_the_topic(
    marie: Subscriber, subscribe: Any, client: Client
) -> None:
    subscribe("pending@example.fr", topics=["actualites"])
    assert may_mail("MARIE@example.fr", "actualites")
    assert not may_mail("marie@example.fr", "formations-cma")
    assert not may_mail("pending@example.fr", "actualites")
    assert list(mailable_subscribers("actualites")) == [marie]

    # A suppression alone (e.g. a bounce) is enough to stop mail, whatever the status.
    Suppression.objects.create(address_hash=marie.email_hash, reason="bounced")
    assert not may_mail("marie@example.fr", "actualites")
    assert list(mailable_subscribers("actualites")) == []
