from __future__ import annotations

from typing import Any

import pytest

from django.core import mail
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory

from mailing.models import OutboxEmail
from subscriptions.models import ConsentEvent, Subscriber

from .conftest import SIGNUP_URL, link_to, page_text, signup_data

pytestmark = pytest.mark.django_db


def nothing_stored() -> bool:
    return not (
        Subscriber.objects.exists() or ConsentEvent.objects.exists() or OutboxEmail.objects.exists()
    )


def test_signup_page__has_labelled_fields_and_the_current_consent_wording(
    client: Client, topics: dict
) -> None:
    response = client.get(SIGNUP_URL)
    html = page_text(response)
    assert response.status_code == 200
    assert html.count("<h1>") == 1
    assert '<label for="id_email">Adresse électronique</label>' in html
    assert "Formations et réunions de la CMA" in html
    assert "J'accepte de recevoir" in html
    assert 'name="csrfmiddlewaretoken"' not in html
    assert 'name="website"' in html and "hidden" in html


def test_signup__records_a_pending_subscriber_and_sends_the_confirmation(
    subscribe: Any, topics: dict
) -> None:
    response = subscribe("Marie@Example.fr", topics=["actualites", "concours-votes"])

    assert response.status_code == 302
    assert response["Location"] == "/newsletter/merci/"
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert list(subscriber.topics.all()) == []  # nothing changes before confirmation
    event = ConsentEvent.objects.get()
    assert event.kind == ConsentEvent.Kind.SUBSCRIPTION
    assert event.topics == ["actualites", "concours-votes"]
    assert event.wording.version == 1
    assert event.source == "page /newsletter/"
    assert event.client_network == "127.0.0.0/24"
    assert event.address_hash == subscriber.email_hash
    [message] = mail.outbox
    assert message.to == ["Marie@example.fr"]
    assert message.subject == "Confirmez votre inscription — Le Carburateur"
    html = message.alternatives[0][0]
    assert "Confirmer mon inscription" in html
    assert link_to(message, "confirm")
    assert link_to(message, "preferences")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.extra_headers["List-Unsubscribe"].startswith("<http://testserver/newsletter/")
    assert OutboxEmail.objects.get().sent_at is not None


def test_signup__internationalised_domain_is_accepted(subscribe: Any) -> None:
    response = subscribe("élodie@café.fr")
    # A non-ASCII local part needs SMTPUTF8, which we do not promise; the domain alone is fine.
    assert response.status_code == 400
    response = subscribe("elodie@café.fr")
    assert response.status_code == 302
    assert Subscriber.objects.get().email == "elodie@xn--caf-dma.fr"


@pytest.mark.parametrize(
    "source",
    ["//evil.example/x", "https://evil.example/x", "/\\evil.example", "javascript:alert(1)"],
)
def test_signup__a_source_that_is_not_a_path_of_this_site_is_not_stored(
    subscribe: Any, source: str
) -> None:
    response = subscribe(source=source)

    assert response.status_code == 302
    assert ConsentEvent.objects.get().source == "page /newsletter/"
    assert Subscriber.objects.get().source == "page /newsletter/"


def test_signup__a_path_of_this_site_is_kept_as_the_source(subscribe: Any) -> None:
    subscribe(source="/actualites/salon-2026/")

    assert ConsentEvent.objects.get().source == "page /actualites/salon-2026/"


def test_signup__same_answer_whether_the_address_is_known_or_not(
    subscribe: Any, confirmed: Any
) -> None:
    confirmed("connue@example.fr")
    known = subscribe("connue@example.fr")
    unknown = subscribe("inconnue@example.fr")
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert Subscriber.objects.count() == 2


def test_signup__again_does_not_duplicate_whatever_the_case(subscribe: Any) -> None:
    subscribe("marie@example.fr")
    subscribe("MARIE@EXAMPLE.FR", topics=["concours-votes"])
    assert Subscriber.objects.count() == 1
    assert len(mail.outbox) == 2


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": "pas une adresse"}, "Saisissez une seule adresse"),
        ({"email": "marie@@example"}, "Saisissez une adresse électronique valide"),
        ({"email": "x" * 250 + "@example.fr"}, "trop longue"),
        ({"email": "marie@example.fr\r\nBcc: a@example.fr"}, "retour à la ligne"),
        ({"email": ""}, "Indiquez votre adresse"),
        ({"topics": ["inexistant"]}, "n'existe pas ou n'est plus proposé"),
        ({"topics": None}, "Choisissez au moins un thème"),
        ({"consent": None}, "Cochez la case de consentement"),
        ({"consent": "off"}, "Cochez la case de consentement"),
        ({"consent": "0"}, "Cochez la case de consentement"),
        ({"consent": "non"}, "Cochez la case de consentement"),
        ({"consent_version": 99}, "Le texte de consentement a changé"),
        ({"website": "http://spam.example"}, "rempli par un robot"),
    ],
)
def test_signup__bad_input_gets_a_french_message_and_stores_nothing(
    subscribe: Any, overrides: dict, message: str
) -> None:
    response = subscribe(**{"email": "marie@example.fr", **overrides})
    assert response.status_code == 400
    assert message in page_text(response)
    assert nothing_stored()
    assert mail.outbox == []


def test_signup__non_utf8_bytes_are_refused_with_a_french_message(
    client: Client, topics: dict
) -> None:
    body = b"email=marie%FF%FE%40example.fr&topics=actualites&consent=on&consent_version=1"
    response = client.post(SIGNUP_URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "UTF-8" in page_text(response)
    assert nothing_stored()


def test_signup__oversized_post_is_refused_before_reading_it(client: Client, topics: dict) -> None:
    response = client.post(SIGNUP_URL, signup_data(padding="x" * 20_000))
    assert response.status_code == 413
    assert "Envoi trop volumineux" in page_text(response)
    assert nothing_stored()


def test_signup__needs_no_csrf_token_so_cached_pages_can_carry_the_form(topics: dict) -> None:
    # The form is on every (cached) page; a sign-up only starts a double opt-in.
    response = Client(enforce_csrf_checks=True).post(SIGNUP_URL, signup_data())
    assert response.status_code == 302
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING


def test_rate_limit__per_client_address(subscribe: Any, settings: Any) -> None:
    settings.NEWSLETTERS_RATE_LIMITS = {"ip": (2, 3600), "email": (10, 3600)}
    assert subscribe("a@example.fr").status_code == 302
    assert subscribe("b@example.fr").status_code == 302
    response = subscribe("c@example.fr")
    assert response.status_code == 429
    assert "Trop de demandes" in page_text(response)
    assert response["Retry-After"] == "3600"
    assert Subscriber.objects.count() == 2


def test_rate_limit__per_email_address_across_client_addresses(
    client: Client, topics: dict, settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.NEWSLETTERS_RATE_LIMITS = {"ip": (100, 3600), "email": (2, 3600)}
    statuses = []
    for number in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                SIGNUP_URL,
                signup_data(email="Cible@example.fr" if number else "cible@example.fr"),
                REMOTE_ADDR=f"198.51.100.{number}",
            )
        statuses.append(response.status_code)
    assert statuses == [302, 302, 429]
    assert len(mail.outbox) == 2


def test_inclusion_tag__renders_the_form_with_distinct_ids_and_the_page_as_source(
    topics: dict,
) -> None:
    request = RequestFactory().get("/programmes/concours/")
    template = Template("{% load subscriptions_tags %}{% newsletter_signup_form 'pied' %}")
    html = template.render(RequestContext(request))
    assert 'id="pied-email"' in html
    assert 'value="/programmes/concours/"' in html
    assert 'action="/newsletter/"' in html
    assert "csrfmiddlewaretoken" not in html
    # Without a request (e.g. an email preview) it still renders.
    assert "Adresse électronique" in template.render(Context({}))


def test_signup__a_topic_withdrawn_since_the_last_sign_up_is_refused(
    subscribe: Any, topics: dict
) -> None:
    # The first sign-up leaves the active topics in the cache (forms.signup_validation_choices).
    assert subscribe("premiere@example.fr", topics=["actualites"]).status_code == 302
    withdrawn = topics["actualites"]
    withdrawn.is_active = False
    withdrawn.save()

    response = subscribe("marie@example.fr", topics=["actualites"])

    assert response.status_code == 400
    assert "n'existe pas ou n'est plus proposé" in page_text(response)
    assert not Subscriber.objects.filter(email="marie@example.fr").exists()


def test_signup__a_consent_wording_published_since_the_last_sign_up_is_accepted(
    subscribe: Any,
) -> None:
    from subscriptions.models import ConsentWording

    assert subscribe("premiere@example.fr").status_code == 302
    wording = ConsentWording.objects.create(text="J'accepte de recevoir les lettres (v. 2).")

    response = subscribe("marie@example.fr", consent_version=wording.version)

    assert response.status_code == 302
    event = ConsentEvent.objects.get(
        address_hash=Subscriber.objects.get(email="marie@example.fr").email_hash
    )
    assert event.wording_id == wording.pk
