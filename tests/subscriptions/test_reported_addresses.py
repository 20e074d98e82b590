"""The sending services' webhooks: only the named services, only with the secret."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from django.test import Client, override_settings

from mailing.models import Suppression
from subscriptions.models import ConsentEvent, Subscriber, Topic
from tests.newsletters.issues import make_subscribers

pytestmark = pytest.mark.django_db

TRACKING = "/anymail/postmark/tracking/"


def complaint(email: str) -> str:
    return json.dumps(
        {
            "RecordType": "SpamComplaint",
            "Type": "SpamComplaint",
            "Email": email,
            "MessageID": "m-1",
            "BouncedAt": "2026-03-01T10:00:00Z",
        }
    )


def basic(credentials: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def post(client: Client, body: str, path: str = TRACKING, **headers: Any) -> Any:
    return client.post(path, data=body, content_type="application/json", **headers)


def untouched(subscriber: Subscriber) -> bool:
    subscriber.refresh_from_db()
    return (
        subscriber.status == Subscriber.Status.CONFIRMED
        and not Suppression.objects.exists()
        and not ConsentEvent.objects.filter(kind=ConsentEvent.Kind.UNSUBSCRIPTION).exists()
    )


@override_settings(ANYMAIL={"WEBHOOK_SECRET": ""})
def test_webhook__without_a_configured_secret_refuses_an_anonymous_complaint(
    client: Client, topics: dict[str, Topic]
) -> None:
    [reader] = make_subscribers(1, topics["actualites"])

    response = post(client, complaint(reader.email))

    assert response.status_code == 403
    assert untouched(reader)


@override_settings(ANYMAIL={"WEBHOOK_SECRET": ""})
def test_webhook__without_a_configured_secret_refuses_even_credentials(
    client: Client, topics: dict[str, Topic]
) -> None:
    [reader] = make_subscribers(1, topics["actualites"])

    response = post(client, complaint(reader.email), **basic(":"))

    assert response.status_code == 403
    assert untouched(reader)


@pytest.mark.parametrize(
    "headers",
    [{}, basic("webhook:wrong"), {"HTTP_AUTHORIZATION": "Bearer webhook:test-only-secret"}],
    ids=["no-credentials", "wrong-secret", "not-basic-auth"],
)
def test_webhook__refuses_a_call_without_the_right_secret(
    client: Client, topics: dict[str, Topic], headers: dict[str, str]
) -> None:
    [reader] = make_subscribers(1, topics["actualites"])

    response = post(client, complaint(reader.email), **headers)

    assert response.status_code == 403
    assert untouched(reader)


def test_webhook__the_same_complaint_with_the_secret_unsubscribes(
    client: Client, topics: dict[str, Topic]
) -> None:
    # The request the refusals above differ from only by their credentials.
    [reader] = make_subscribers(1, topics["actualites"])

    response = post(client, complaint(reader.email), **basic("webhook:test-only-secret"))

    assert response.status_code == 200
    reader.refresh_from_db()
    assert reader.status == Subscriber.Status.UNSUBSCRIBED
    assert Suppression.objects.get().reason == "complaint"


@pytest.mark.parametrize("esp", ["amazon_ses", "mailgun", "sendgrid", "inconnu"])
def test_webhook__a_service_the_deployment_does_not_name_is_not_routed(
    client: Client, topics: dict[str, Topic], esp: str
) -> None:
    [reader] = make_subscribers(1, topics["actualites"])

    response = post(
        client,
        complaint(reader.email),
        f"/anymail/{esp}/tracking/",
        **basic("webhook:test-only-secret"),
    )

    assert response.status_code == 404
    assert untouched(reader)


@override_settings(NEWSLETTERS_ESP_WEBHOOKS=[])
def test_webhook__no_service_is_routed_by_default(client: Client, topics: dict[str, Topic]) -> None:
    [reader] = make_subscribers(1, topics["actualites"])

    response = post(client, complaint(reader.email), **basic("webhook:test-only-secret"))

    assert response.status_code == 404
    assert untouched(reader)


def test_webhook__inbound_mail_endpoints_are_not_routed(client: Client, db: None) -> None:
    response = post(client, "{}", "/anymail/postmark/inbound/", **basic("webhook:test-only-secret"))

    assert response.status_code == 404
