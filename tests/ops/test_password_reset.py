"""The admin's password reset is rate-limited per address and per client, without saying so."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from django.core import mail
from django.core.cache import cache
from django.test import Client

pytestmark = pytest.mark.django_db

RESET = "/admin/password_reset/"
DONE = "/admin/password_reset/done/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    cache.clear()


@pytest.fixture
def editors(django_user_model: Any) -> list[Any]:
    return [
        django_user_model.objects.create_user(
            f"redac{n}", email=f"redac{n}@lecarburateur.fr", password="x", is_staff=True
        )
        for n in range(4)
    ]


def ask(client: Client, email: str) -> Any:
    return client.post(RESET, {"email": email})


def test_password_reset__three_requests_for_one_address_do_not_send_three_emails(
    client: Client, editors: list[Any], settings: Any, caplog: Any
) -> None:
    allowed = settings.PASSWORD_RESET_RATE_LIMITS["email"][0]
    assert allowed < 3

    with caplog.at_level(logging.WARNING, logger="ops.accounts"):
        answers = [ask(client, "redac0@lecarburateur.fr") for _ in range(3)]

    # Every answer is the usual neutral page: the limit reveals nothing.
    assert [(a.status_code, a["Location"]) for a in answers] == [(302, DONE)] * 3
    assert len(mail.outbox) == allowed
    assert mail.outbox[0].to == ["redac0@lecarburateur.fr"]
    assert "Réinitialisation de mot de passe refusée (limite par adresse" in caplog.text


def test_password_reset__one_client_asking_for_many_addresses_is_limited(
    client: Client, editors: list[Any], settings: Any
) -> None:
    settings.PASSWORD_RESET_RATE_LIMITS = {"ip": (2, 3600), "email": (5, 3600)}

    answers = [ask(client, editor.email) for editor in editors]

    assert [(a.status_code, a["Location"]) for a in answers] == [(302, DONE)] * 4
    assert sorted(m.to[0] for m in mail.outbox) == [
        "redac0@lecarburateur.fr",
        "redac1@lecarburateur.fr",
    ]


def test_password_reset__another_client_is_not_limited_by_the_first(
    editors: list[Any], settings: Any
) -> None:
    settings.PASSWORD_RESET_RATE_LIMITS = {"ip": (1, 3600), "email": (5, 3600)}

    ask(Client(REMOTE_ADDR="192.0.2.1"), "redac0@lecarburateur.fr")
    ask(Client(REMOTE_ADDR="192.0.2.1"), "redac1@lecarburateur.fr")
    ask(Client(REMOTE_ADDR="192.0.2.2"), "redac2@lecarburateur.fr")

    assert sorted(m.to[0] for m in mail.outbox) == [
        "redac0@lecarburateur.fr",
        "redac2@lecarburateur.fr",
    ]


def test_password_reset__the_form_still_shows(client: Client, db: None) -> None:
    page = client.get(RESET)

    assert page.status_code == 200
    assert 'name="email"' in page.content.decode()
