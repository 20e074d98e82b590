"""Fixtures of the subscriptions tests, shared with the apps that mail subscribers.

Sign-up helpers, links from emails, editors. Each test folder's conftest star-imports them.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from typing import Any

import pytest

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from subscriptions.models import ConsentWording, Subscriber, Topic
from tests.factories.editorial import UserFactory

SIGNUP_URL = "/newsletter/"


@pytest.fixture(autouse=True)
def _fresh_rate_limits() -> None:
    """Rate-limit counters live in the cache; each test starts with none."""
    cache.clear()


@pytest.fixture(autouse=True)
def _private_import_dir(settings: Any, tmp_path: Any) -> None:
    """Uploaded CSV files go to the test's own folder, not the worktree's var/."""
    settings.NEWSLETTERS_IMPORT_DIR = tmp_path / "imports"


@pytest.fixture
def topics(db: None) -> dict[str, Topic]:
    """The three topics the data migration creates, by slug."""
    return {topic.slug: topic for topic in Topic.objects.all()}


def signup_data(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "email": "marie@example.fr",
        "topics": ["actualites"],
        "consent": "on",
        "consent_version": ConsentWording.current().version,
        "source": "/newsletter/",
        "website": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def subscribe(
    client: Client, topics: dict[str, Topic], django_capture_on_commit_callbacks: Any
) -> Callable[..., Any]:
    """POST the sign-up form, running the on-commit email dispatch as a real request would."""

    def _subscribe(email: str = "marie@example.fr", **overrides: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(SIGNUP_URL, signup_data(email=email, **overrides))

    return _subscribe


def page_text(response: Any) -> str:
    """The response's HTML with entities decoded, for assertions on French sentences."""
    return html.unescape(response.content.decode())


def links_in(message: mail.EmailMessage) -> list[str]:
    return re.findall(r"https?://\S+", message.body)


def link_to(message: mail.EmailMessage, route: str) -> str:
    """The path of the first link in ``message`` to ``route`` (``subscriptions:`` if bare)."""
    name = route if ":" in route else f"subscriptions:{route}"
    prefix = reverse(name, args=["TOKEN"]).split("TOKEN")[0]
    for link in links_in(message):
        path = re.sub(r"^https?://[^/]+", "", link)
        if path.startswith(prefix):
            return path
    raise AssertionError(f"Aucun lien {route} dans le courriel : {message.body}")


@pytest.fixture
def confirmed(subscribe: Callable[..., Any], client: Client) -> Callable[..., Subscriber]:
    """Subscribe ``email``, open the confirmation link and press its button; return them."""

    def _confirmed(email: str = "marie@example.fr", **overrides: Any) -> Subscriber:
        mail.outbox.clear()
        subscribe(email, **overrides)
        response = client.post(link_to(mail.outbox[-1], "confirm"))
        assert response.status_code == 200
        mail.outbox.clear()
        return Subscriber.objects.get(email__iexact=email)

    return _confirmed


@pytest.fixture
def editor(db: None) -> Any:
    """An editor: Wagtail admin access and every permission on subscribers and topics."""
    group = Group.objects.create(name="Éditeurs lettres")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="subscriptions",
            content_type__model__in=["subscriber", "topic", "consentevent", "consentwording"],
        ),
    )
    return UserFactory(username="editrice", groups=[group.name])


@pytest.fixture
def editor_client(client: Client, editor: Any) -> Client:
    client.force_login(editor)
    return client
