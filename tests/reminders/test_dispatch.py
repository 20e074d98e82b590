"""Sending contest reminders on time, once, to the right people (controlled clock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, timedelta
from typing import Any

import pytest
import time_machine

from django.utils import timezone

from mailing.models import OutboxEmail
from programs.models import ContestPage
from reminders import dispatch
from reminders.models import ContestFollow, ReminderDelivery, ReminderRun
from reminders.tasks import dispatch_contest_reminders, send_reminder_run
from subscriptions import services

from .fixtures import CLOSES, paris, suppress

pytestmark = pytest.mark.django_db

Beat = Callable[[Any], list[Any]]


def recipients(messages: list[Any]) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def runs(contest: ContestPage) -> dict[str, tuple[str, str]]:
    return {
        run.slot_key: (run.status, run.skip_reason)
        for run in ReminderRun.objects.filter(contest=contest)
    }


def test_each_slot__fires_once_at_its_time(aviva: ContestPage, topic_subscriber: Any, beat: Beat):
    topic_subscriber("marie@example.fr")
    timeline = [
        (paris(2025, 3, 1, 8, 58), 0),
        (paris(2025, 3, 1, 9, 0), 1),  # the vote opens
        (paris(2025, 3, 1, 9, 3), 0),
        (paris(2025, 4, 4, 9, 57), 0),
        (paris(2025, 4, 4, 10, 0), 1),  # 7 days before, at 10:00
        (paris(2025, 4, 4, 10, 3), 0),
        (paris(2025, 4, 10, 10, 0, 30), 1),  # 1 day before, at 10:00
        (paris(2025, 4, 11, 8, 59), 0),
        (paris(2025, 4, 11, 9, 1), 1),  # the morning of the last day
        (paris(2025, 4, 11, 23, 58), 0),
        (paris(2025, 4, 12, 0, 1), 0),  # closed
    ]

    sent = [(moment, len(beat(moment))) for moment, _expected in timeline]

    assert sent == timeline
    assert ReminderDelivery.objects.filter(contest=aviva).count() == 4
    assert set(runs(aviva).values()) == {("sent", "")}


def test_reminder_subjects__name_the_deadline_in_french(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    topic_subscriber("marie@example.fr")

    [first] = beat(paris(2025, 3, 1, 9, 0))
    [last_day] = beat(paris(2025, 4, 11, 9, 0))

    assert first.subject == (
        "Votez pour nos résidents : La Fabrique Aviva, jusqu'au vendredi 11 avril à 23 h 59"
    )
    assert last_day.subject.startswith("Dernier jour pour voter : La Fabrique Aviva")


def test_slot_across_the_spring_change__fires_at_the_summer_time_instant(
    make_contest: Any, resident: Any, topic_subscriber: Any, beat: Beat
) -> None:
    make_contest(
        residents=(resident,),
        reminder_plan=[("slot", {"moment": "cloture", "days_before": 12, "at": "23:59:00"})],
    )
    topic_subscriber("marie@example.fr")
    # 30 March 23:59 is summer time: 21:59 UTC, an hour earlier than in winter.
    assert beat(paris(2025, 3, 30, 23, 58)) == []
    assert len(beat(paris(2025, 3, 30, 23, 59))) == 1


def test_default_plan_across_the_spring_change__each_slot_fires_at_its_marseille_hour(
    make_contest: Any, resident: Any, topic_subscriber: Any, beat: Beat
) -> None:
    # Closing on Wednesday 2 April at 18:00: 26 March is winter time, 1 and 2 April summer time.
    make_contest(residents=(resident,), closes=paris(2025, 4, 2, 18, 0))
    topic_subscriber("marie@example.fr")
    beat(paris(2025, 3, 1, 9, 0))  # the opening
    timeline = [
        (paris(2025, 3, 26, 9, 59), 0),
        (paris(2025, 3, 26, 10, 0), 1),  # 09:00 UTC
        (paris(2025, 3, 31, 23, 59), 0),  # the old plan's "1 day before" time
        (paris(2025, 4, 1, 9, 59), 0),
        (paris(2025, 4, 1, 10, 0), 1),  # 08:00 UTC
        (paris(2025, 4, 2, 8, 59), 0),
        (paris(2025, 4, 2, 9, 0), 1),  # 07:00 UTC
    ]

    assert [(moment, len(beat(moment))) for moment, _n in timeline] == timeline
    assert paris(2025, 3, 26, 10, 0).astimezone(UTC).hour == 9
    assert paris(2025, 4, 1, 10, 0).astimezone(UTC).hour == 8


def test_moved_deadline__the_plan_follows_the_published_date(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    topic_subscriber("marie@example.fr")
    beat(paris(2025, 3, 1, 9, 0))
    with time_machine.travel(paris(2025, 4, 3, 12, 0), tick=False):
        aviva.vote_closes_at = paris(2025, 4, 18, 23, 59)
        aviva.save_revision().publish()

    assert beat(paris(2025, 4, 4, 10, 0)) == []  # the old "7 days before"
    [message] = beat(paris(2025, 4, 11, 10, 0))  # the new one
    assert "jusqu'au vendredi 18 avril à 23 h 59" in message.subject
    assert runs(aviva)["cloture-j7"] == ("sent", "")


def test_a_deadline_moved_in_a_draft__changes_nothing_until_published(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    topic_subscriber("marie@example.fr")
    beat(paris(2025, 3, 1, 9, 0))
    draft = ContestPage.objects.get(pk=aviva.pk)
    draft.vote_closes_at = paris(2025, 4, 18, 23, 59)
    draft.save_revision()  # not published

    assert len(beat(paris(2025, 4, 4, 23, 59))) == 1


def test_unpublished_contest__nothing_more_is_sent(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    topic_subscriber("marie@example.fr")
    assert len(beat(paris(2025, 3, 1, 9, 0))) == 1
    aviva.unpublish()

    assert beat(paris(2025, 4, 4, 23, 59)) == []
    assert beat(paris(2025, 4, 11, 9, 0)) == []


def test_pending_run_of_a_contest_unpublished_since__is_recorded_as_skipped(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    topic_subscriber("marie@example.fr")
    run = ReminderRun.objects.create(
        contest=aviva, slot_key="cloture-j7", label="7 jours", due_at=paris(2025, 4, 4, 23, 59)
    )
    aviva.unpublish()

    assert beat(paris(2025, 4, 5, 0, 0)) == []
    run.refresh_from_db()
    assert (run.status, run.skip_reason) == ("skipped", "unpublished")


def test_closed_contest__slots_missed_before_closing_are_recorded_as_skipped(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    topic_subscriber("marie@example.fr")
    beat(paris(2025, 4, 10, 23, 59))  # opening skipped, 1 day before sent
    # The beat is down from 08:00 on the last day until after the vote has closed.
    assert beat(paris(2025, 4, 12, 0, 30)) == []
    assert runs(aviva)["cloture-j0-0900"] == ("skipped", "closed")
    assert ReminderDelivery.objects.filter(slot_key="cloture-j0-0900").count() == 0


def test_downtime__a_missed_slot_is_sent_late_while_the_vote_is_open(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    topic_subscriber("marie@example.fr")
    beat(paris(2025, 3, 1, 9, 0))
    # Down from 4 April 09:00 to 5 April 10:00: "7 days before" goes out late.
    [message] = beat(paris(2025, 4, 5, 10, 0))
    assert message.to == ["marie@example.fr"]
    assert runs(aviva)["cloture-j7"] == ("sent", "")


def test_downtime__a_slot_superseded_by_a_later_due_one_is_skipped(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat
) -> None:
    topic_subscriber("marie@example.fr")
    beat(paris(2025, 3, 1, 9, 0))
    # Down from 4 April 09:00 to 11 April 10:00: only the last day's reminder goes out.
    [message] = beat(paris(2025, 4, 11, 10, 0))
    assert message.subject.startswith("Dernier jour pour voter")
    assert runs(aviva) == {
        "ouverture": ("sent", ""),
        "cloture-j7": ("skipped", "superseded"),
        "cloture-j1": ("skipped", "superseded"),
        "cloture-j0-0900": ("sent", ""),
    }


def test_beat_running_twice_and_a_redelivered_task__send_nothing_twice(
    aviva: ContestPage, topic_subscriber: Any, beat: Beat, django_capture_on_commit_callbacks: Any
) -> None:
    topic_subscriber("marie@example.fr")
    topic_subscriber("karim@example.fr")
    moment = paris(2025, 3, 1, 9, 0)
    assert len(beat(moment)) == 2
    assert beat(moment) == []
    run = ReminderRun.objects.get(slot_key="ouverture")
    with time_machine.travel(moment, tick=False), django_capture_on_commit_callbacks(execute=True):
        assert send_reminder_run(run.pk) == 0
        assert dispatch.send_slot_now(aviva, "ouverture") == 0
    assert OutboxEmail.objects.filter(kind="contest_reminder").count() == 2


def test_worker_killed_mid_batch__the_rest_is_sent_once_its_lease_runs_out(
    aviva: ContestPage,
    topic_subscriber: Any,
    beat: Beat,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("a", "b", "c"):
        topic_subscriber(f"{name}@example.fr")
    real_deliver = dispatch._deliver
    calls = []

    def dies_on_the_second(*args: Any) -> bool:
        calls.append(args)
        if len(calls) == 2:
            raise SystemError("worker lost")
        return real_deliver(*args)

    monkeypatch.setattr(dispatch, "_deliver", dies_on_the_second)
    beat(paris(2025, 3, 1, 9, 0))  # the beat itself survives the lost task
    monkeypatch.undo()
    assert ReminderDelivery.objects.count() == 1
    assert runs(aviva)["ouverture"] == ("sending", "")

    assert beat(paris(2025, 3, 1, 9, 3)) == []  # still leased to the lost worker
    later = beat(paris(2025, 3, 1, 9, 9))  # lease over: the next beat hands it out again
    assert recipients(later) == ["b@example.fr", "c@example.fr"]
    assert ReminderDelivery.objects.count() == 3
    assert runs(aviva)["ouverture"] == ("sent", "")


def test_suppressed_unsubscribed_and_opted_out_addresses__are_never_reminded(
    aviva: ContestPage,
    topic_subscriber: Any,
    follower: Any,
    beat: Beat,
) -> None:
    topic_subscriber("abonnee@example.fr")
    follower("suiveur@example.fr", aviva)
    topic_subscriber("bloquee@example.fr")
    suppress("bloquee@example.fr")
    gone = topic_subscriber("partie@example.fr")
    follower_gone = follower("suiveur-parti@example.fr", aviva)
    refuses = topic_subscriber("refuse@example.fr")
    ContestFollow.objects.create(contest=aviva, subscriber=refuses, opted_out_at=timezone.now())
    unconfirmed = follower("pas-confirme@example.fr", aviva)
    ContestFollow.objects.filter(subscriber=unconfirmed).update(confirmed_at=None)
    with time_machine.travel(timezone.now() + timedelta(seconds=1)):
        for subscriber in (gone, follower_gone):
            services.unsubscribe(subscriber, source="test", client_network="")

    messages = beat(paris(2025, 3, 1, 9, 0))

    assert recipients(messages) == ["abonnee@example.fr", "suiveur@example.fr"]


def test_contest_without_a_resident__reminds_its_followers_only(
    make_contest: Any, topic_subscriber: Any, follower: Any, beat: Beat
) -> None:
    contest = make_contest(title="Prix des quartiers", closes=CLOSES)
    topic_subscriber("abonnee@example.fr")
    follower("suiveur@example.fr", contest)

    assert recipients(beat(paris(2025, 3, 1, 9, 0))) == ["suiveur@example.fr"]


def test_beat_task__hands_nothing_out_before_the_vote_opens(aviva: ContestPage, beat: Beat):
    assert beat(paris(2025, 2, 28, 9, 0)) == []
    with time_machine.travel(paris(2025, 2, 28, 9, 0), tick=False):
        assert dispatch_contest_reminders() == 0
    assert not ReminderRun.objects.exists()
