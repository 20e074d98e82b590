"""A follower is sent the reminders their confirmation page announced, no more, no fewer.

The cut-off is the slot's scheduled time: a slot goes to those who confirmed strictly before
it, even when downtime makes it go out late, and never to someone who confirmed while it was
overdue. The confirmation page and the dispatcher apply that one rule (``is_owed``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import Any

import pytest
import time_machine

from django.core import mail
from django.test import Client
from django.urls import reverse

from mailing.models import OutboxEmail
from programs.models import ContestPage
from reminders import dispatch
from reminders.models import ContestFollow, ReminderDelivery, ReminderRun
from reminders.tasks import send_reminder_run
from tests.subscriptions.fixtures import link_to, page_text

from .fixtures import paris

pytestmark = pytest.mark.django_db

Beat = Callable[[Any], list[Any]]
LISTED = re.compile(r'<li><time datetime="([^"]+)">[^<]*</time> \(([^)]+)\)</li>')


@pytest.fixture
def follow_over_http(
    client: Client, django_capture_on_commit_callbacks: Any
) -> Callable[[ContestPage, str, datetime], list[str]]:
    """Ask for reminders and click the emailed link at ``moment``; return the page's list."""

    def follow(contest: ContestPage, email: str, moment: datetime) -> list[str]:
        with time_machine.travel(moment, tick=False):
            with django_capture_on_commit_callbacks(execute=True):
                asked = client.post(
                    reverse("reminders:signup", args=[contest.pk]),
                    {"email": email, "consent": "on", "website": ""},
                )
            assert asked.status_code == 302
            # The emailed link shows one button; pressing it (a POST) confirms.
            page = client.post(link_to(mail.outbox[-1], "reminders:confirm"))
        assert page.status_code == 200
        assert "nous vous rappellerons de voter" in page_text(page)
        return [label for _when, label in LISTED.findall(page_text(page))]

    return follow


def labels_received(email: str) -> list[str]:
    """The reminders ``email`` was sent, by label, in the order they went."""
    labels = dict(ReminderRun.objects.values_list("slot_key", "label"))
    rows = ReminderDelivery.objects.filter(outbox__to=email).order_by("pk")
    return [labels[row.slot_key].lower() for row in rows]


def to(messages: list[Any]) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def test_follower_confirming_while_a_slot_is_overdue__is_neither_promised_nor_sent_it(
    aviva: ContestPage, follower: Any, follow_over_http: Any, beat: Beat
) -> None:
    follower("avant@example.fr", aviva)  # confirmed before the vote opened
    assert to(beat(paris(2025, 3, 1, 9, 0))) == ["avant@example.fr"]
    # The beat is down from 4 April 09:00: "7 days before" (10:00) is overdue when Nadia,
    # who reads about the contest at noon, confirms.
    announced = follow_over_http(aviva, "nadia@example.fr", paris(2025, 4, 4, 12, 0))

    assert announced == ["1 jour avant la clôture", "le jour de la clôture, à 9 h 00"]
    back = beat(paris(2025, 4, 4, 12, 5))  # the beat is back: the late "7 days before"
    assert to(back) == ["avant@example.fr"]
    assert to(beat(paris(2025, 4, 10, 10, 0))) == ["avant@example.fr", "nadia@example.fr"]
    assert to(beat(paris(2025, 4, 11, 9, 0))) == ["avant@example.fr", "nadia@example.fr"]
    assert labels_received("nadia@example.fr") == announced


def test_follower_from_before_a_slot_missed_by_downtime__gets_the_catch_up_exactly_once(
    aviva: ContestPage,
    follower: Any,
    beat: Beat,
    django_capture_on_commit_callbacks: Any,
) -> None:
    follower("avant@example.fr", aviva, confirmed_at=paris(2025, 4, 3, 18, 0))
    # Down from 4 April 09:00 to 14:00: the 10:00 reminder goes out when the beat is back.
    assert beat(paris(2025, 4, 4, 9, 0)) == []
    [late] = beat(paris(2025, 4, 4, 14, 0))
    assert late.to == ["avant@example.fr"]
    assert beat(paris(2025, 4, 4, 14, 3)) == []
    run = ReminderRun.objects.get(contest=aviva, slot_key="cloture-j7")
    with (
        time_machine.travel(paris(2025, 4, 4, 14, 4), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        assert send_reminder_run(run.pk) == 0  # a redelivered task
        assert dispatch.send_slot_now(aviva, "cloture-j7", force=True) == 0
    assert ReminderDelivery.objects.filter(slot_key="cloture-j7").count() == 1
    assert OutboxEmail.objects.filter(kind="contest_reminder").count() == 1


def test_follower_confirmed_at_the_slots_very_time__neither_promised_nor_sent_it(
    aviva: ContestPage, follower: Any, beat: Beat
) -> None:
    seven_days_before = paris(2025, 4, 4, 10, 0)
    follower("avant@example.fr", aviva, confirmed_at=paris(2025, 4, 4, 9, 59, 59))
    follower("pile@example.fr", aviva, confirmed_at=seven_days_before)

    with time_machine.travel(seven_days_before, tick=False):
        promised = [slot.key for slot in dispatch.reminders_to_come(aviva, seven_days_before)]
    assert promised == ["cloture-j1", "cloture-j0-0900"]
    assert to(beat(paris(2025, 4, 4, 10, 30))) == ["avant@example.fr"]


def test_the_admin_dry_run__counts_only_those_the_overdue_slot_is_owed_to(
    admin_client_logged: Client, aviva: ContestPage, follower: Any
) -> None:
    follower("avant@example.fr", aviva, confirmed_at=paris(2025, 4, 3, 18, 0))
    follower("apres@example.fr", aviva, confirmed_at=paris(2025, 4, 4, 11, 0))

    with time_machine.travel(paris(2025, 4, 4, 12, 0), tick=False):
        text = page_text(admin_client_logged.get(f"/admin/rappels-de-vote/{aviva.pk}/"))

    assert "<td>à envoyer maintenant</td><td>1</td>" in text


def test_deadline_moved_later_after_a_slot_went_out__not_sent_again_nor_promised(
    aviva: ContestPage, follower: Any, follow_over_http: Any, beat: Beat
) -> None:
    follower("avant@example.fr", aviva)
    beat(paris(2025, 3, 1, 9, 0))
    assert to(beat(paris(2025, 4, 4, 10, 0))) == ["avant@example.fr"]  # "7 days before"
    with time_machine.travel(paris(2025, 4, 4, 12, 0), tick=False):
        aviva.vote_closes_at = paris(2025, 4, 18, 23, 59)
        aviva.save_revision().publish()

    announced = follow_over_http(aviva, "nadia@example.fr", paris(2025, 4, 5, 12, 0))

    # "7 days before" now falls on 11 April; it went out already and does not go again.
    assert announced == ["1 jour avant la clôture", "le jour de la clôture, à 9 h 00"]
    assert beat(paris(2025, 4, 11, 10, 0)) == []
    assert to(beat(paris(2025, 4, 17, 10, 0))) == ["avant@example.fr", "nadia@example.fr"]
    assert to(beat(paris(2025, 4, 18, 9, 0))) == ["avant@example.fr", "nadia@example.fr"]
    assert labels_received("nadia@example.fr") == announced
    assert labels_received("avant@example.fr") == [
        "à l'ouverture des votes",
        "7 jours avant la clôture",
        "1 jour avant la clôture",
        "le jour de la clôture, à 9 h 00",
    ]


def test_follow_confirmed_at__is_when_the_link_was_clicked(
    aviva: ContestPage, follow_over_http: Any
) -> None:
    follow_over_http(aviva, "nadia@example.fr", paris(2025, 4, 4, 12, 0))
    assert ContestFollow.objects.get().confirmed_at == paris(2025, 4, 4, 12, 0)


def test_deadline_moved_earlier__only_the_latest_slot_now_past_goes_the_others_are_skipped(
    aviva: ContestPage, follower: Any, beat: Beat
) -> None:
    follower("avant@example.fr", aviva)
    beat(paris(2025, 3, 1, 9, 0))
    with time_machine.travel(paris(2025, 4, 2, 12, 0), tick=False):
        aviva.vote_closes_at = paris(2025, 4, 3, 18, 0)
        aviva.save_revision().publish()

    # "7 days before" is now 27 March and "1 day before" 2 April 10:00: both past.
    [message] = beat(paris(2025, 4, 2, 12, 5))

    assert "jusqu'au jeudi 3 avril à 18 h 00" in message.subject
    states = {run.slot_key: (run.status, run.skip_reason) for run in ReminderRun.objects.all()}
    assert states["cloture-j7"] == ("skipped", "superseded")
    assert states["cloture-j1"] == ("sent", "")
    assert to(beat(paris(2025, 4, 3, 9, 0))) == ["avant@example.fr"]
