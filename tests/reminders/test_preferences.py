"""The preferences page of someone who only follows contests: their reminders, and a way out.

They reach it from the « Gérer mes préférences » link of a reminder. Their subscriber row is
"pending" (they never confirmed a newsletter sign-up), which must not read as one waiting.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine

from django.core import mail
from django.test import Client

from programs.models import ContestPage
from reminders.models import ContestFollow
from subscriptions.models import ConsentEvent, Subscriber
from tests.subscriptions.fixtures import link_to, page_text

from .fixtures import paris

pytestmark = pytest.mark.django_db

SEVEN_DAYS_BEFORE = paris(2025, 4, 4, 10, 0)
NOON = paris(2025, 4, 4, 12, 0)
PENDING_SIGNUP = "Votre inscription n'est pas encore confirmée"


@pytest.fixture
def prix(make_contest: Any) -> ContestPage:
    return make_contest(title="Prix des quartiers", closes=paris(2025, 4, 30, 18, 0))


@pytest.fixture
def preferences_link(aviva: ContestPage, prix: ContestPage, follower: Any, beat: Any) -> str:
    """Nadia follows both contests; the link of the « 7 days before » reminder she got."""
    follower("nadia@example.fr", aviva)
    follower("nadia@example.fr", prix)
    follower("karim@example.fr", aviva)
    messages = beat(SEVEN_DAYS_BEFORE)
    [to_nadia] = [m for m in messages if m.to == ["nadia@example.fr"] and "Aviva" in m.subject]
    return link_to(to_nadia, "preferences")


def csrf_token(response: Any) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page_text(response))[1]


def test_reminder_only_follower__page_lists_each_contest_and_its_reminders_to_come(
    client: Client, preferences_link: str
) -> None:
    with time_machine.travel(NOON, tick=False):
        response = client.get(preferences_link)

    text = page_text(response)
    assert response.status_code == 200
    assert PENDING_SIGNUP not in text
    assert "seulement les rappels de vote que vous avez demandés" in text
    assert "<h3" in text and "La Fabrique Aviva" in text and "Prix des quartiers" in text
    aviva_list = re.search(
        r'aria-label="Vos prochains rappels : La Fabrique Aviva">(.*?)</ul>', text, re.S
    )
    assert re.findall(r"\(([^)]+)\)</li>", aviva_list[1]) == [
        "1 jour avant la clôture",
        "le jour de la clôture, à 9 h 00",
    ]
    assert text.count("Ne plus recevoir les rappels de ce concours") == 2


def test_reminder_only_follower__stops_one_contest_with_a_post_and_is_told_so(
    preferences_link: str, aviva: ContestPage, prix: ContestPage, beat: Any
) -> None:
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(NOON, tick=False):
        page = client.get(preferences_link)
        response = client.post(
            preferences_link, {"csrfmiddlewaretoken": csrf_token(page), "stop_contest": aviva.pk}
        )

    text = page_text(response)
    assert response.status_code == 200
    assert (
        "C'est fait : vous ne recevrez plus de rappel de vote pour le concours "
        "« La Fabrique Aviva »." in text
    )
    assert "Prix des quartiers" in text and PENDING_SIGNUP not in text
    nadia = Subscriber.objects.get(email="nadia@example.fr")
    follows = {f.contest_id: f.opted_out_at for f in ContestFollow.objects.filter(subscriber=nadia)}
    assert follows[aviva.pk] == NOON and follows[prix.pk] is None
    assert ConsentEvent.objects.filter(kind=ConsentEvent.Kind.CONTEST_OPT_OUT).count() == 1
    # The next Aviva reminder goes to Karim, not to Nadia; Prix des quartiers still reaches her.
    assert [m.to for m in beat(paris(2025, 4, 10, 10, 0))] == [["karim@example.fr"]]
    assert [m.to for m in beat(paris(2025, 4, 23, 10, 0))] == [["nadia@example.fr"]]


def test_stop_button__a_get_changes_nothing_and_a_post_without_csrf_token_is_refused(
    preferences_link: str, aviva: ContestPage
) -> None:
    client = Client(enforce_csrf_checks=True)
    with time_machine.travel(NOON, tick=False):
        got = client.get(preferences_link, {"stop_contest": aviva.pk})
        forged = client.post(preferences_link, {"stop_contest": aviva.pk})

    assert got.status_code == 200 and "C'est fait" not in page_text(got)
    assert forged.status_code == 403
    assert not ContestFollow.objects.filter(opted_out_at__isnull=False).exists()


def test_stop_button__twice_or_for_a_contest_not_followed__says_so_and_records_nothing_more(
    client: Client, preferences_link: str, aviva: ContestPage, make_contest: Any
) -> None:
    other = make_contest(title="Trophées de l'artisanat")
    with time_machine.travel(NOON, tick=False):
        assert client.post(preferences_link, {"stop_contest": aviva.pk}).status_code == 200
        again = client.post(preferences_link, {"stop_contest": aviva.pk})
        not_followed = client.post(preferences_link, {"stop_contest": other.pk})

    for response in (again, not_followed):
        assert response.status_code == 400
        assert "Ces rappels sont déjà arrêtés, ou ce concours est clos." in page_text(response)
    assert ConsentEvent.objects.filter(kind=ConsentEvent.Kind.CONTEST_OPT_OUT).count() == 1
    assert not ContestFollow.objects.filter(contest=other).exists()


def test_newsletter_sign_up_not_yet_confirmed__still_says_so(
    subscribe: Any, client: Client
) -> None:
    subscribe("attente@example.fr")

    response = client.get(link_to(mail.outbox[-1], "preferences"))

    assert PENDING_SIGNUP in page_text(response)
    assert "Rappels de vote" not in page_text(response)
