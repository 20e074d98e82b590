"""The check-in page at the door: light, search by name, tick present, undo."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from django.test import Client

from programs.models import EventPage
from registrations.models import Registration
from tests.subscriptions.fixtures import page_text

from .organisers import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db


def url(training: EventPage) -> str:
    return f"/admin/inscriptions/{training.pk}/accueil/"


def header(html: str) -> str:
    """The count line at the top, tags removed."""
    found = re.search(r"<header>(.*?)</header>", html, re.S)
    assert found is not None
    return " ".join(re.sub(r"<[^>]+>", "", found.group(1)).split())


def listed_names(html: str) -> list[str]:
    return re.findall(r'<span class="name">([^<]*)</span>', html)


def test_check_in__lists_confirmed_people_by_name_and_finds_them_without_accents(
    login: Callable[[Any], Client], communication: Any, training: EventPage, register: Callable
) -> None:
    register(training, "Karim Benali")
    register(training, "Hélène Martin")
    register(training, "Zoé Attente", status=Registration.Status.WAITING)
    register(training, "Paul Parti", status=Registration.Status.CANCELLED)
    client = login(communication)

    everyone = page_text(client.get(url(training)))
    found = page_text(client.get(url(training), {"q": "helene"}))

    assert listed_names(everyone) == ["Hélène Martin", "Karim Benali"]
    assert "0 présent sur 2 inscrits" in header(everyone)
    assert listed_names(found) == ["Hélène Martin"]
    assert "1 résultat pour « helene »" in found


def test_check_in__is_a_light_page_without_the_admin_s_scripts(
    login: Callable[[Any], Client], communication: Any, training: EventPage, register: Callable
) -> None:
    for index in range(100):
        register(training, f"Personne {index:02d}", f"p{index}@example.fr")

    response = login(communication).get(url(training))

    html = page_text(response)
    assert response.status_code == 200
    assert "<script" not in html
    assert '<link rel="stylesheet"' not in html
    assert 'name="viewport"' in html
    # 100 people at the door: under 300 bytes a person, one CSRF token for the page, and
    # nothing else to download.
    assert len(response.content) < 30_000, len(response.content)


def test_check_in__tick_present_then_undo(
    login: Callable[[Any], Client], communication: Any, training: EventPage, register: Callable
) -> None:
    person = register(training, "Hélène Martin")
    register(training, "Karim Benali")
    client = login(communication)

    ticked = client.post(url(training), {"present": person.pk, "q": "mar"})

    person.refresh_from_db()
    assert ticked.status_code == 200
    text = page_text(ticked)
    assert "Hélène Martin est noté·e présent·e." in text
    assert listed_names(text) == ["Hélène Martin"]  # the search is kept
    assert "1 présent sur 2 inscrits" in header(text)
    assert 'aria-label="Annuler la présence de Hélène Martin"' in text
    # The answer scrolls back to the person ticked, without a script.
    assert f'<li id="p-{person.pk}" class="present">' in text
    assert f'name="absent" value="{person.pk}" formaction="#p-{person.pk}"' in text
    assert person.checked_in_at is not None
    assert person.checked_in_by == communication
    first_tick = person.checked_in_at

    # A second phone (or a reloaded POST) ticks again: the first time and author stay.
    client.post(url(training), {"present": person.pk})
    person.refresh_from_db()
    assert person.checked_in_at == first_tick

    undone = client.post(url(training), {"absent": person.pk})
    person.refresh_from_db()
    assert "Présence de Hélène Martin annulée." in page_text(undone)
    assert person.checked_in_at is None
    assert person.checked_in_by is None


@pytest.mark.parametrize(
    "data",
    [
        {"present": "abc"},
        {"present": "999999"},
        {"present": "WAITING"},
        {"present": "OTHER"},
        {"supprimer": "MINE"},
    ],
)
def test_check_in__bad_input_changes_nothing_and_says_so(
    data: dict[str, str],
    login: Callable[[Any], Client],
    communication: Any,
    training: EventPage,
    joint_event: EventPage,
    register: Callable,
) -> None:
    ids = {
        "WAITING": register(training, "Zoé Attente", status=Registration.Status.WAITING).pk,
        "OTHER": register(joint_event, "Ailleurs Quelqu'un").pk,
        "MINE": register(training, "Hélène Martin").pk,
    }
    data = {key: str(ids.get(value, value)) for key, value in data.items()}

    response = login(communication).post(url(training), data)

    assert response.status_code == 200
    assert "Personne introuvable dans les inscrits : rien n'a changé." in page_text(response)
    assert not Registration.objects.filter(checked_in_at__isnull=False).exists()


def test_check_in__queries_stay_the_same_as_registrations_grow(
    login: Callable[[Any], Client],
    communication: Any,
    training: EventPage,
    register: Callable,
    django_assert_max_num_queries: Any,
) -> None:
    client = login(communication)
    register(training, "Première Personne", present=True)
    client.get(url(training))  # warm what is loaded once per process

    with django_assert_max_num_queries(CHECK_IN_QUERIES):
        small = client.get(url(training))
    for index in range(60):
        register(training, f"Personne {index:02d}", f"p{index}@example.fr", present=index % 2 == 0)
    with django_assert_max_num_queries(CHECK_IN_QUERIES):
        large = client.get(url(training))
    last = Registration.objects.order_by("pk").last()
    assert last is not None
    # The POST adds the person's lookup and the update, and nothing per person listed.
    with django_assert_max_num_queries(CHECK_IN_QUERIES + 2):
        client.post(url(training), {"present": last.pk})

    assert len(listed_names(page_text(small))) == 1
    assert len(listed_names(page_text(large))) == 61


#: Session, user, the admin access check (two), the admin profile, the event, the user's
#: group (Communication), the confirmed people: none grows with the list.
CHECK_IN_QUERIES = 8
