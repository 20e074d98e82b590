"""Who may see and do what, asked from the outside: each refused person makes the request.

Communication and administrators: everything. The chamber: the registrations of joint events,
read only (list, counts, export), never a check-in or a message. Anyone else: nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from django.contrib.messages import get_messages
from django.test import Client

from mailing.models import OutboxEmail
from programs.models import EventPage
from registrations.models import RegistrantMessage, Registration
from tests.subscriptions.fixtures import page_text

from .organisers import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db


def assert_refused(response: Any) -> None:
    """Wagtail answers a PermissionDenied in the admin with the dashboard and its message."""
    assert response.status_code == 302, response.status_code
    assert response["Location"] == "/admin/"
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("autorisations" in text for text in texts), texts


def urls(training: EventPage) -> list[str]:
    base = f"/admin/inscriptions/{training.pk}/"
    return [base, f"{base}export/csv/", f"{base}export/xlsx/", f"{base}message/", f"{base}accueil/"]


@pytest.mark.parametrize("role", ["communication", "admin"])
def test_organisers__reach_every_screen_of_every_event(
    role: str,
    request: pytest.FixtureRequest,
    login: Callable[[Any], Client],
    training: EventPage,
    joint_event: EventPage,
) -> None:
    client = login(request.getfixturevalue(role))
    for url in [*urls(training), *urls(joint_event), "/admin/inscriptions/"]:
        assert client.get(url).status_code == 200, url


def test_anonymous__sent_to_the_login_page(client: Client, training: EventPage) -> None:
    for url in [*urls(training), "/admin/inscriptions/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/login/"), url


def test_outsider__refused_everywhere_and_no_menu(
    login: Callable[[Any], Client], outsider: Any, training: EventPage, register: Callable
) -> None:
    person = register(training, "Hélène Martin")
    client = login(outsider)
    for url in [*urls(training), "/admin/inscriptions/"]:
        assert_refused(client.get(url))
    assert_refused(
        client.post(
            f"/admin/inscriptions/{training.pk}/accueil/",
            {"present": person.pk},
        )
    )
    assert "/admin/inscriptions/" not in page_text(client.get("/admin/"))
    person.refresh_from_db()
    assert person.checked_in_at is None


def test_chamber__reads_a_joint_event_and_exports_it(
    login: Callable[[Any], Client], chamber: Any, joint_event: EventPage, register: Callable
) -> None:
    register(joint_event, "Hélène Martin")
    client = login(chamber)

    screen = client.get(f"/admin/inscriptions/{joint_event.pk}/")
    export = client.get(f"/admin/inscriptions/{joint_event.pk}/export/csv/")
    index = client.get("/admin/inscriptions/")

    assert screen.status_code == 200
    assert "Hélène Martin" in page_text(screen)
    # Read only: no door to the check-in nor to the message form.
    assert "/accueil/" not in page_text(screen)
    assert "/message/" not in page_text(screen)
    assert export.status_code == 200
    assert "Hélène Martin" in b"".join(export.streaming_content).decode()
    assert "Formation CMA" in page_text(index)
    assert "/admin/inscriptions/" in page_text(client.get("/admin/"))


def test_chamber__sees_nothing_of_an_event_that_is_not_joint(
    login: Callable[[Any], Client],
    chamber: Any,
    training: EventPage,
    joint_event: EventPage,
    register: Callable,
) -> None:
    register(training, "Karim Benali")
    client = login(chamber)

    for url in urls(training):
        assert_refused(client.get(url))
    index = page_text(client.get("/admin/inscriptions/"))
    assert "Formation CMA" in index  # the request was valid: the joint training is listed
    assert "Atelier comptabilité" not in index


def test_chamber__cannot_check_in_nor_send_a_message_even_on_a_joint_event(
    login: Callable[[Any], Client], chamber: Any, joint_event: EventPage, register: Callable
) -> None:
    person = register(joint_event, "Hélène Martin")
    client = login(chamber)
    base = f"/admin/inscriptions/{joint_event.pk}/"

    assert_refused(client.get(f"{base}accueil/"))
    assert_refused(client.post(f"{base}accueil/", {"present": person.pk}))
    assert_refused(client.get(f"{base}message/"))
    assert_refused(client.post(f"{base}message/", {"subject": "Salle changée", "body": "Salle B"}))

    person.refresh_from_db()
    assert person.checked_in_at is None
    assert not RegistrantMessage.objects.exists()
    assert not OutboxEmail.objects.filter(kind="registrant_message").exists()
    assert Registration.objects.count() == 1
