"""The public side: the form on the event page, the answer, the cancellation page."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mailing.models import OutboxEmail
from programs.models import EventPage
from registrations import services
from registrations.models import Registration
from registrations.tokens import make_cancel_token

from .conftest import form_data

pytestmark = pytest.mark.django_db


def register_url(event: EventPage) -> str:
    return reverse("registrations:register", args=[event.pk])


def post(client: Client, event: EventPage, **overrides: str) -> Any:
    return client.post(register_url(event), form_data(**overrides), REMOTE_ADDR="203.0.113.7")


def answer_page(client: Client, response: Any) -> str:
    assert response.status_code == 303, response.content.decode()
    return client.get(response["Location"]).content.decode()


def cancel_url(registration: Registration) -> str:
    token = make_cancel_token(registration.pk, registration.address_hash)
    return reverse("registrations:cancel", args=[token])


def test_event_page__shows_the_seats_left_and_an_accessible_form(
    client: Client, event: EventPage
) -> None:
    html = client.get(event.url).content.decode()

    assert "2 places restantes" in html
    assert f'action="{register_url(event)}"' in html
    assert 'autocomplete="name"' in html and 'autocomplete="email"' in html
    assert 'type="tel"' in html and 'autocomplete="tel"' in html
    for label in (
        "Prénom et nom",
        "Adresse électronique",
        "Votre métier",
        "Première participation",
    ):
        assert label in html
    assert 'name="question-q-trade"' in html and 'value="oui"' in html
    assert 'href="/politique-de-confidentialite/"' in html
    assert 'name="website"' in html and "csrfmiddlewaretoken" not in html


def test_event_page__full_with_waiting_list_then_closed(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    event = make_event(capacity=1)
    services.register(event, name="A", email="a@example.fr")
    assert "Complet — liste d'attente ouverte" in client.get(event.url).content.decode()

    closed = make_event(capacity=1, waiting_list=False)
    services.register(closed, name="A", email="a@example.fr")
    html = client.get(closed.url).content.decode()
    assert "Inscriptions closes" in html and 'class="registration-form"' not in html


def test_event_page__without_registration_on_the_site_shows_no_form(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    event = make_event(registration_open=False)

    html = client.get(event.url).content.decode().replace("&#x27;", "'")

    assert 'class="registration-form"' not in html and "Inscription à l'accueil." in html


def test_post__registers_and_redirects_to_the_answer(client: Client, event: EventPage) -> None:
    html = answer_page(client, post(client, event))

    assert "Inscription confirmée" in html
    registration = Registration.objects.get()
    assert registration.email == "nadia@example.fr" and registration.phone == "06 12 34 56 78"
    assert [a["answer"] for a in registration.answers] == [
        "Boulangerie Benali",
        "Boulangerie",
        "oui",
    ]
    assert "J'accepte que Le Carburateur" in registration.consent_text
    assert OutboxEmail.objects.get().kind == "registration_confirmed"


def test_post__when_full_the_answer_gives_the_waiting_position(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    event = make_event(capacity=1)
    post(client, event, email="a@example.fr")
    post(client, event, email="b@example.fr")

    html = answer_page(client, post(client, event, email="c@example.fr"))

    assert "Vous êtes sur liste d&#x27;attente (position 2)" in html or (
        "Vous êtes sur liste d'attente (position 2)" in html
    )


def test_post__a_duplicate_gets_the_same_answer_and_only_the_email_tells(
    client: Client, event: EventPage
) -> None:
    first = post(client, event, email="nadia@example.fr")
    again = post(client, event, email="NADIA@example.fr", name="Autre")

    assert again.status_code == 303
    assert client.get(again["Location"]).content == client.get(first["Location"]).content
    assert Registration.objects.count() == 1
    assert OutboxEmail.objects.filter(kind="registration_duplicate").count() == 1


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"name": ""}, "Indiquez votre nom."),
        ({"email": "pas une adresse"}, "Saisissez une seule adresse électronique."),
        ({"email": ""}, "Indiquez votre adresse électronique."),
        ({"consent": ""}, "Cochez la case"),
        ({"consent": "off"}, "Cochez la case"),
        ({"question-q-trade": ""}, "Répondez à cette question"),
        ({"question-q-trade": "Plombier"}, "Choisissez une réponse dans la liste proposée."),
        ({"question-q-first": "peut-être"}, "Choisissez une réponse dans la liste proposée."),
        ({"website": "http://spam.example"}, "rempli par un robot"),
        ({"phone": "0" * 31}, "Ce numéro est trop long"),
    ],
    ids=[
        "no-name",
        "bad-email",
        "no-email",
        "no-consent",
        "forged-consent",
        "required-question",
        "unknown-choice",
        "bad-yes-no",
        "honeypot",
        "long-phone",
    ],
)
def test_post__bad_input_gets_a_french_error_and_stores_nothing(
    client: Client, event: EventPage, overrides: dict[str, str], error: str
) -> None:
    response = post(client, event, **overrides)

    assert response.status_code == 200
    html = response.content.decode().replace("&#x27;", "'")
    assert error in html
    assert "Votre inscription n'a pas été enregistrée" in html
    assert Registration.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


def test_post__optional_answers_and_phone_may_be_left_empty(
    client: Client, event: EventPage
) -> None:
    assert post(client, event, phone="", **{"question-q-company": ""}).status_code == 303


def test_post__rate_limited_per_client_address(
    client: Client, event: EventPage, settings: Any
) -> None:
    settings.REGISTRATIONS_RATE_LIMIT_IP = 2
    assert post(client, event, email="a@example.fr").status_code == 303
    assert post(client, event, email="b@example.fr").status_code == 303

    refused = post(client, event, email="c@example.fr")

    assert refused.status_code == 429 and "Trop de demandes" in refused.content.decode()
    assert not Registration.objects.filter(email="c@example.fr").exists()
    # Another client address is not limited.
    other = client.post(
        register_url(event), form_data(email="d@example.fr"), REMOTE_ADDR="198.51.100.1"
    )
    assert other.status_code == 303


def test_post__from_another_site_is_refused(client: Client, event: EventPage) -> None:
    response = client.post(
        register_url(event),
        form_data(),
        HTTP_ORIGIN="https://evil.example",
        REMOTE_ADDR="203.0.113.7",
    )
    same_site = client.post(
        register_url(event),
        form_data(email="b@example.fr"),
        HTTP_ORIGIN="http://testserver",
        REMOTE_ADDR="203.0.113.7",
    )

    assert response.status_code == 403 and "autre site" in response.content.decode()
    assert same_site.status_code == 303
    assert list(Registration.objects.values_list("email", flat=True)) == ["b@example.fr"]


def test_post__closed_event_refuses_politely(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    event = make_event(registration_deadline=timezone.now() - timedelta(hours=1))

    response = post(client, event)

    assert response.status_code == 409
    assert "la date limite d" in response.content.decode()
    assert Registration.objects.count() == 0


def test_post__past_or_unpublished_event(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    past = make_event(start=timezone.now() - timedelta(days=3))
    gone = make_event()
    gone.unpublish()

    assert "cet événement est passé" in post(client, past).content.decode()
    unknown = post(client, gone)
    assert unknown.status_code == 404 and "Événement introuvable" in unknown.content.decode()
    assert Registration.objects.count() == 0


def test_get__the_form_on_its_own_page(client: Client, event: EventPage) -> None:
    response = client.get(register_url(event))

    assert response.status_code == 200
    assert "S'inscrire : Réunion d'information" in response.content.decode().replace("&#x27;", "'")


def test_result__forged_token_is_a_polite_page(client: Client) -> None:
    response = client.get(reverse("registrations:result", args=["nimporte-quoi"]))
    assert response.status_code == 400 and "Ce lien n" in response.content.decode()


def test_cancel__get_asks_post_cancels_and_a_second_use_says_so(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    event = make_event(capacity=1)
    first = services.register(event, name="A", email="a@example.fr").registration
    services.register(event, name="B", email="b@example.fr")
    assert first is not None
    url = cancel_url(first)

    asked = client.get(url)
    assert asked.status_code == 200 and asked.content.decode().count('method="post"') == 1
    assert Registration.objects.get(pk=first.pk).status == "confirmed"

    done = client.post(url)
    assert done.status_code == 200 and "est annulée" in done.content.decode()
    assert Registration.objects.get(pk=first.pk).status == "cancelled"
    assert Registration.objects.get(email="b@example.fr").status == "confirmed"

    again = client.post(url)
    assert "était déjà annulée" in again.content.decode()
    assert OutboxEmail.objects.filter(kind="registration_cancelled").count() == 1
    assert OutboxEmail.objects.filter(kind="registration_promoted").count() == 1


def test_cancel__forged_or_dead_links_get_a_polite_page(client: Client, event: EventPage) -> None:
    registration = services.register(event, name="A", email="a@example.fr").registration
    assert registration is not None
    forged = client.get(reverse("registrations:cancel", args=["abc:def"]))
    other_address = reverse(
        "registrations:cancel", args=[make_cancel_token(registration.pk, "0" * 64)]
    )
    tampered = client.post(other_address)

    assert forged.status_code == 400 and "Ce lien n" in forged.content.decode()
    assert tampered.status_code == 404
    assert Registration.objects.get().status == "confirmed"


def test_cancel__after_the_start_is_refused(
    client: Client, make_event: Callable[..., EventPage]
) -> None:
    event = make_event()
    registration = services.register(event, name="A", email="a@example.fr").registration
    assert registration is not None
    EventPage.objects.filter(pk=event.pk).update(start=timezone.now() - timedelta(minutes=5))

    response = client.post(cancel_url(registration))

    assert response.status_code == 409 and "a déjà commencé" in response.content.decode()
    assert Registration.objects.get().status == "confirmed"
