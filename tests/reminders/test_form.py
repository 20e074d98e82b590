"""« Me rappeler de voter » from outside: the form, the confirmation, the email, opting out."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, timedelta
from typing import Any

import pytest
import time_machine

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from mailing.models import OutboxEmail
from programs.models import ContestPage
from reminders.models import ContestFollow
from subscriptions.models import ConsentEvent, Subscriber
from tests.subscriptions.fixtures import page_text

from .fixtures import paris

pytestmark = pytest.mark.django_db

Beat = Callable[[Any], list[Any]]


@pytest.fixture
def open_now(make_contest: Any, resident: Any) -> ContestPage:
    """La Fabrique Aviva, open to votes today (the real clock)."""
    now = timezone.now()
    return make_contest(
        opens=now - timedelta(days=3),
        closes=now + timedelta(days=30),
        residents=(resident,),
        slug="la-fabrique-aviva",
    )


def form_data(**overrides: Any) -> dict[str, Any]:
    data = {"email": "marie@example.fr", "consent": "on", "website": ""}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def ask(client: Client, django_capture_on_commit_callbacks: Any) -> Callable[..., Any]:
    def post(contest: ContestPage, **overrides: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("reminders:signup", args=[contest.pk]), form_data(**overrides)
            )

    return post


def link(message: Any, route: str) -> str:
    prefix = reverse(f"reminders:{route}", args=["T"])[:-2]
    for url in re.findall(r"https?://\S+", message.body):
        path = re.sub(r"^https?://[^/]+", "", url)
        if path.startswith(prefix):
            return path
    raise AssertionError(f"Aucun lien {route} : {message.body}")


def without_csrf(response: Any) -> str:
    """The page without its CSRF token, which is masked differently on every response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page_text(response))


def nothing_stored() -> bool:
    return not (
        Subscriber.objects.exists()
        or ConsentEvent.objects.exists()
        or OutboxEmail.objects.exists()
        or ContestFollow.objects.exists()
    )


def test_contest_page__offers_the_form_and_the_calendar_link(client: Client, open_now: Any):
    response = client.get(open_now.url)
    text = page_text(response)
    assert "Me rappeler de voter" in text
    assert f'action="/newsletter/rappel/{open_now.pk}/"' in text
    assert f'href="{open_now.url}ical/"' in text


def test_home_page_contests_block__offers_the_form(client: Client, open_now: Any) -> None:
    text = page_text(client.get("/"))
    assert f'action="/newsletter/rappel/{open_now.pk}/"' in text
    assert f'id="rappel-{open_now.pk}-email"' in text


def test_closed_contest__neither_offers_nor_accepts_a_reminder(
    client: Client, make_contest: Any, ask: Any
) -> None:
    closed = make_contest(
        opens=timezone.now() - timedelta(days=30), closes=timezone.now() - timedelta(days=1)
    )
    assert "Me rappeler de voter" not in page_text(client.get(closed.url))
    response = ask(closed)
    assert response.status_code == 400
    assert "Les votes de ce concours sont clos" in page_text(response)
    assert nothing_stored()


def test_ical__the_vote_deadline_as_a_calendar_event(client: Client, open_now: Any) -> None:
    response = client.get(open_now.url + "ical/")
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    closes = open_now.vote_closes_at.astimezone(UTC)
    assert f"DTEND:{closes:%Y%m%dT%H%M%S}Z" in body
    assert "SUMMARY:Dernier moment pour voter : La Fabrique Aviva" in body
    assert "La Compagnie des Bocaux" in body


def test_request__sends_a_link_that_confirms_the_follow(
    client: Client, open_now: Any, ask: Any
) -> None:
    response = ask(open_now)
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.subject == "Confirmez votre rappel de vote : La Fabrique Aviva — Le Carburateur"
    assert not ContestFollow.objects.filter(confirmed_at__isnull=False).exists()

    path = link(message, "confirm")
    opened = client.get(path)
    # Mail filters open every link: the page only offers a button, whose POST confirms.
    assert opened.status_code == 200
    opened_text = page_text(opened)
    assert opened_text.count("<h1>") == 1
    assert "<h1>Confirmer le rappel de vote</h1>" in opened_text
    assert "La Fabrique Aviva" in opened_text
    assert '<button type="submit">Confirmer le rappel</button>' in opened_text
    assert not ContestFollow.objects.filter(confirmed_at__isnull=False).exists()
    assert list(ConsentEvent.objects.values_list("kind", flat=True)) == ["contest_follow"]

    confirmed = Client(enforce_csrf_checks=True).post(path)

    assert confirmed.status_code == 200
    assert "nous vous rappellerons de voter" in page_text(confirmed)
    follow = ContestFollow.objects.get()
    assert follow.contest_id == open_now.pk
    assert follow.confirmed_at is not None
    kinds = list(ConsentEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["contest_follow", "follow_confirmed"]
    assert "déjà confirmé" in page_text(client.post(link(message, "confirm")))


def test_confirmation_page__lists_the_reminders_still_to_come_in_marseille_time(
    client: Client, aviva: ContestPage, ask: Any
) -> None:
    # 5 April 2025: the opening and the "7 days before" reminders are past.
    with time_machine.travel(paris(2025, 4, 5, 12, 0), tick=False):
        ask(aviva)
        confirmed = page_text(client.post(link(mail.outbox[-1], "confirm")))

    upcoming = re.findall(r"<li><time[^>]*>([^<]+)</time> \(([^)]+)\)</li>", confirmed)
    assert upcoming == [
        ("jeudi 10 avril 2025 à 10 h 00", "1 jour avant la clôture"),
        ("vendredi 11 avril 2025 à 9 h 00", "le jour de la clôture, à 9 h 00"),
    ]
    assert 'datetime="2025-04-11T09:00:00+02:00"' in confirmed
    assert "jusqu'à la clôture des votes, le vendredi 11 avril 2025 à 23 h 59." in confirmed


def test_request__same_answer_whether_or_not_the_address_is_known(
    client: Client, open_now: Any, ask: Any, topic_subscriber: Any
) -> None:
    topic_subscriber("connue@example.fr")
    known = ask(open_now, email="connue@example.fr")
    unknown = ask(open_now, email="inconnue@example.fr")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    thanks = [without_csrf(client.get(r["Location"])) for r in (known, unknown)]
    assert thanks[0] == thanks[1]
    assert "Vérifiez votre messagerie" in thanks[0]
    by_address = {message.to[0]: message for message in mail.outbox}
    assert "un clic suffit" in by_address["connue@example.fr"].body
    assert "un clic suffit" not in by_address["inconnue@example.fr"].body
    # The known subscriber still clicks once; nothing changes before that.
    assert not ContestFollow.objects.exists()
    client.post(link(by_address["connue@example.fr"], "confirm"))
    assert ContestFollow.objects.get().subscriber.email == "connue@example.fr"


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"email": ""}, "Indiquez votre adresse électronique."),
        ({"email": "pas-une-adresse"}, "adresse"),
        ({"email": "marie@example.fr\r\nBcc: tous@example.fr"}, "adresse"),
        ({"email": "a" * 250 + "@example.fr"}, "adresse"),
        ({"consent": None}, "Cochez la case"),
        ({"consent": "off"}, "Cochez la case"),
        ({"consent": "0"}, "Cochez la case"),
        ({"website": "http://spam.example"}, "robot"),
        ({"email": "mar\ufffdie@example.fr"}, "UTF-8"),
    ],
)
def test_bad_input__french_error_and_nothing_stored(
    open_now: Any, ask: Any, overrides: dict[str, Any], message: str
) -> None:
    response = ask(open_now, **overrides)

    assert response.status_code == 400
    text = page_text(response)
    assert message in text
    assert "Votre demande n'a pas été enregistrée" in text
    assert nothing_stored()
    assert mail.outbox == []


def test_unknown_contest__404_in_french(client: Client, db: None) -> None:
    response = client.post(reverse("reminders:signup", args=[999999]), form_data())
    assert response.status_code == 404
    assert "Concours introuvable" in page_text(response)


def test_confirmation_link__tampered_or_expired__changes_nothing(
    client: Client, open_now: Any, ask: Any
) -> None:
    ask(open_now)
    path = link(mail.outbox[0], "confirm")

    assert client.post(path[:-3] + "xx/").status_code == 400
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        assert client.post(path).status_code == 410
    assert not ContestFollow.objects.exists()


def test_reminder_email__who_to_vote_for_the_deadline_and_every_way_out(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    topic_subscriber("marie@example.fr")
    [message] = beat(paris(2025, 4, 4, 23, 59))

    body = message.body
    html = message.alternatives[0][0]
    assert "Chaque voix compte : votez chaque jour !" in body
    assert "jusqu'au vendredi 11 avril à 23 h 59" in body
    assert "La Compagnie des Bocaux — Des bocaux bio : http://testserver" in body
    assert "/residents/la-compagnie-des-bocaux/" in html
    assert "Voter : https://lafabrique.aviva.fr/vote" in body
    assert f"{aviva.url}ical/" in body
    assert "/newsletter/preferences/" in body
    assert "/newsletter/rappel/arreter/" in body
    assert message.extra_headers["List-Unsubscribe"].startswith(
        "<http://testserver/newsletter/desinscription/"
    )
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_opt_out_link__get_asks_post_stops_this_contest_only(
    client: Client, aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    subscriber = topic_subscriber("marie@example.fr")
    [message] = beat(paris(2025, 3, 1, 9, 0))
    path = link(message, "opt_out")

    assert "Confirmer" in page_text(client.get(path))
    assert beat(paris(2025, 4, 4, 23, 59)) != []  # a GET changed nothing

    response = client.post(path)
    assert "Rappels arrêtés" in page_text(response)
    assert beat(paris(2025, 4, 10, 23, 59)) == []
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.topic_slugs == ["concours-votes"]


def test_follow_again_after_opting_out__reminders_resume(
    client: Client, open_now: Any, ask: Any, topic_subscriber: Any
) -> None:
    subscriber = topic_subscriber("marie@example.fr")
    ContestFollow.objects.create(
        contest=open_now, subscriber=subscriber, opted_out_at=timezone.now()
    )
    with time_machine.travel(timezone.now() + timedelta(seconds=5)):
        ask(open_now)
        client.post(link(mail.outbox[-1], "confirm"))
    follow = ContestFollow.objects.get()
    assert follow.opted_out_at is None
    assert follow.confirmed_at is not None
