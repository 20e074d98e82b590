"""A person's registrations in their export and erasure, found by address even unsubscribed."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest

from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from mailing.addresses import address_hash
from mailing.models import OutboxEmail, Suppression
from registrations.models import Registration
from registrations.services import register, seats_left
from subscriptions.models import ConsentEvent, Subscriber
from tests.factories.editorial import UserFactory
from tests.factories.programs import EventPageFactory
from tests.subscriptions.fixtures import confirmed, editor, editor_client, subscribe, topics

from .privacy_helpers import registration

__all__ = ["confirmed", "editor", "editor_client", "subscribe", "topics"]

pytestmark = pytest.mark.django_db

INDEX = "/admin/newsletters/subscriber/"
FIND = f"{INDEX}person/"
ANSWERS = [
    {"id": "q1", "label": "Votre activité", "answer": "Ébéniste"},
    {"id": "q2", "label": "Avez-vous déjà un numéro SIRET ?", "answer": "non"},
]


def person_url(email: str, action: str) -> str:
    return f"{FIND}{address_hash(email)}/{action}/"


@pytest.fixture
def training(home_page: Any) -> Any:
    return EventPageFactory(title="Formation : fixer ses prix", capacity=12, waiting_list=True)


def test_find_person__a_registrant_who_never_subscribed_is_found_by_address(
    training: Any, editor_client: Client
) -> None:
    registration(training, "Leila@Example.fr", answers=ANSWERS)
    assert FIND in editor_client.get(INDEX).content.decode()  # the door, above the list

    response = editor_client.post(FIND, {"address": "  leila@EXAMPLE.fr "})

    assert response.status_code == 200
    page = response.content.decode()
    assert "Pas d'abonnement aux lettres" in page
    assert "Inscriptions aux evenements : 1" in page
    assert person_url("leila@example.fr", "export") in page
    assert person_url("leila@example.fr", "erase") in page
    assert not Subscriber.objects.exists()


def test_find_person__an_unknown_address_says_nothing_is_held(
    training: Any, editor_client: Client
) -> None:
    registration(training, "leila@example.fr")

    page = editor_client.post(FIND, {"address": "paul@example.fr"}).content.decode()

    assert "Aucune donnée n'est détenue sur cette adresse." in page
    assert "/export/" not in page


def test_find_person__a_malformed_address_gets_a_french_error(editor_client: Client) -> None:
    page = editor_client.post(FIND, {"address": "leila@"}).content.decode()

    assert "Saisissez une adresse électronique valide." in page


def test_export__a_registrant_gets_their_registrations_with_answers_and_check_in(
    training: Any, editor_client: Client
) -> None:
    past = EventPageFactory(
        title="Réunion d'information", start=timezone.now() - timedelta(days=20)
    )
    checked_in = timezone.now() - timedelta(days=20)
    registration(past, "leila@example.fr", checked_in_at=checked_in)
    registration(
        training, "leila@example.fr", Registration.Status.WAITING, answers=ANSWERS, phone="0611"
    )
    registration(training, "paul@example.fr")

    response = editor_client.get(person_url("leila@example.fr", "export"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = json.loads(response.content)["inscriptions_aux_evenements"]
    assert [(row["evenement"], row["statut"], row["present"]) for row in rows] == [
        ("Réunion d'information", "confirmed", True),
        ("Formation : fixer ses prix", "waiting", False),
    ]
    assert rows[0]["presence_notee_le"] == checked_in.isoformat()
    assert rows[0]["date"] == past.start.isoformat()
    assert rows[1]["reponses"] == [
        {"question": "Votre activité", "reponse": "Ébéniste"},
        {"question": "Avez-vous déjà un numéro SIRET ?", "reponse": "non"},
    ]
    assert (rows[1]["adresse"], rows[1]["telephone"]) == ("leila@example.fr", "0611")
    assert "paul" not in response.content.decode()


def test_export__a_subscriber_s_export_includes_their_registrations(
    training: Any, editor_client: Client, confirmed: Any
) -> None:
    marie = confirmed("marie@example.fr")
    registration(training, "Marie@example.fr")

    data = json.loads(editor_client.get(f"{INDEX}export/{marie.pk}/").content)

    assert data["adresse"] == "marie@example.fr"
    assert [row["evenement"] for row in data["inscriptions_aux_evenements"]] == [training.title]


def test_erase__a_registrant_who_never_subscribed_leaves_nothing_but_the_hash(
    training: Any, editor_client: Client
) -> None:
    past = EventPageFactory(start=timezone.now() - timedelta(days=20))
    registration(past, "leila@example.fr", checked_in_at=timezone.now())
    registration(training, "leila@example.fr", Registration.Status.CANCELLED)
    registration(training, "paul@example.fr")
    OutboxEmail.objects.create(
        kind="registration_confirmed",
        address_hash=address_hash("leila@example.fr"),
        to="leila@example.fr",
        subject="Inscription confirmée",
        body_text="Bonjour Leila",
    )
    url = person_url("leila@example.fr", "erase")
    assert "Inscriptions aux evenements : 2" in editor_client.get(url).content.decode()

    response = editor_client.post(url)

    assert response.status_code == 302
    assert list(Registration.objects.values_list("email", flat=True)) == ["paul@example.fr"]
    assert not OutboxEmail.objects.filter(to="leila@example.fr").exists()
    leila = address_hash("leila@example.fr")
    assert Suppression.objects.get(address_hash=leila).reason == Suppression.Reason.ERASED
    assert ConsentEvent.objects.get(address_hash=leila).kind == ConsentEvent.Kind.ERASURE
    # Nothing left to find: the erase page of that address is gone.
    assert editor_client.get(url).status_code == 404


def test_erase__a_confirmed_registrant_s_seat_goes_to_the_first_person_waiting(
    make_event: Any, editor_client: Client
) -> None:
    event = make_event(capacity=1, registration_questions=[])
    for email in ("leila@example.fr", "paul@example.fr", "ines@example.fr"):
        register(event, name=email.split("@")[0], email=email)
    assert list(event.registrations.waiting().values_list("email", flat=True)) == [
        "paul@example.fr",
        "ines@example.fr",
    ]

    assert editor_client.post(person_url("leila@example.fr", "erase")).status_code == 302

    assert list(event.registrations.order_by("pk").values_list("email", "status")) == [
        ("paul@example.fr", "confirmed"),
        ("ines@example.fr", "waiting"),
    ]
    assert list(OutboxEmail.objects.filter(kind="registration_promoted").values_list("to")) == [
        ("paul@example.fr",)
    ]
    # The cancellation the erasure went through mails nothing to the erased person.
    assert not OutboxEmail.objects.filter(address_hash=address_hash("leila@example.fr")).exists()
    assert seats_left(event) == 0


def test_erase__a_subscriber_s_erasure_deletes_their_registrations_too(
    training: Any, editor_client: Client, confirmed: Any
) -> None:
    marie = confirmed("marie@example.fr")
    registration(training, "marie@example.fr", Registration.Status.CANCELLED)

    assert editor_client.post(f"{INDEX}erase/{marie.pk}/").status_code == 302

    assert not Registration.objects.exists()
    assert not Subscriber.objects.exists()


def test_person_pages__refused_without_the_permissions(training: Any, client: Client) -> None:
    registration(training, "leila@example.fr")
    nobody = UserFactory()
    nobody.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(nobody)

    for url in (FIND, person_url("leila@example.fr", "export")):
        response = client.get(url)
        assert response.status_code in {302, 403}
        assert "inscriptions_aux_evenements" not in response.content.decode()
    assert client.post(FIND, {"address": "leila@example.fr"}).status_code in {302, 403}

    # Seeing people is not erasing them.
    nobody.user_permissions.add(Permission.objects.get(codename="view_subscriber"))
    client.force_login(nobody)
    assert client.post(FIND, {"address": "leila@example.fr"}).status_code == 200
    assert client.post(person_url("leila@example.fr", "erase")).status_code in {302, 403}
    assert Registration.objects.filter(email="leila@example.fr").exists()
