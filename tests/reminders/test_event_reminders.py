"""Reminders of registered events: on time, once per person and slot, never after a
cancellation, with the .ics again (controlled clock, in process)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from html import unescape
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine

from django.core import mail
from django.test import Client

from mailing.models import OutboxEmail
from mailing.outbox import drain_outbox
from programs.models import EventPage
from registrations.models import Registration
from registrations.tokens import read_cancel_token
from reminders import events
from reminders.models import EventReminderDelivery, EventReminderRun
from reminders.tasks import dispatch_event_reminders, send_event_reminder_run

from .event_fixtures import EVE, MORNING, START, cancel, promote, register
from .fixtures import paris

pytestmark = pytest.mark.django_db

Beat = Callable[[Any], list[Any]]
Waiting = Registration.Status.WAITING


def recipients(messages: list[Any]) -> list[str]:
    return sorted(address for message in messages for address in message.to)


def runs(event: EventPage) -> dict[str, tuple[str, str]]:
    return {
        run.slot_key: (run.status, run.skip_reason)
        for run in EventReminderRun.objects.filter(event=event)
    }


def test_day_before__fires_once_at_its_time_for_each_person(
    meeting: EventPage, event_beat: Beat
) -> None:
    register(meeting, "marie@example.fr")
    register(meeting, "karim@example.fr")
    timeline = [
        (paris(2025, 3, 12, 17, 57), []),
        (EVE, ["karim@example.fr", "marie@example.fr"]),
        (paris(2025, 3, 12, 18, 3), []),
        (paris(2025, 3, 12, 23, 0), []),
        (MORNING, []),  # the page did not ask for the morning one
        (paris(2025, 3, 13, 9, 57), []),
        (paris(2025, 3, 13, 10, 3), []),  # started
    ]

    sent = [(moment, recipients(event_beat(moment))) for moment, _expected in timeline]

    assert sent == timeline
    assert EventReminderDelivery.objects.filter(slot_key="veille").count() == 2
    assert runs(meeting) == {"veille": ("sent", "")}


def test_reminder_email__details_address_ics_cancel_link_and_text_part(
    meeting: EventPage, event_beat: Beat
) -> None:
    marie = register(meeting, "marie@example.fr", name="Marie Curie")

    [message] = event_beat(EVE)

    assert message.subject == (
        "Rappel, c'est demain : Réunion d'information, jeudi 13 mars 2025 à 10 h 00"
    )
    text = message.body
    assert "Bonjour Marie Curie," in text
    assert "jeudi 13 mars 2025 de 10 h 00 à 12 h 00" in text
    assert "12 rue des Forges\n13015 Marseille" in text
    [(filename, ics, mimetype)] = message.attachments
    assert (filename, mimetype) == ("reunion-d-information.ics", "text/calendar")
    assert "DTSTART:20250313T090000Z" in ics
    [(escaped, html_type)] = message.alternatives
    html = unescape(escaped)
    assert html_type == "text/html"
    assert "C'est demain : Réunion d'information" in html
    cancel_path = "/inscriptions/annuler/"
    token = text.split(cancel_path, 1)[1].split("/", 1)[0]
    request = read_cancel_token(token)
    assert request.registration_id == marie.pk
    assert marie.address_hash.startswith(request.address_hash)
    assert cancel_path + token in html
    email = OutboxEmail.objects.get(to="marie@example.fr", kind="registration_reminder")
    assert email.kind == "registration_reminder"
    assert email.sent_at is not None


def test_morning_slot__only_when_the_page_asks_and_the_event_starts_after_it(
    make_event: Callable[..., EventPage], event_beat: Beat
) -> None:
    asked = make_event(title="Atelier CMA", reminder_morning=True)
    not_asked = make_event(title="Permanence")
    too_early = make_event(
        title="Petit-déjeuner", start=paris(2025, 3, 13, 7, 30), reminder_morning=True
    )
    register(asked, "avec@example.fr")
    register(not_asked, "sans@example.fr")
    register(too_early, "tot@example.fr")

    eve = recipients(event_beat(EVE))
    early_eve = recipients(event_beat(paris(2025, 3, 12, 18, 0, 30)))
    morning = recipients(event_beat(MORNING))
    later = recipients(event_beat(paris(2025, 3, 13, 9, 0)))

    assert eve == ["avec@example.fr", "sans@example.fr", "tot@example.fr"]
    assert (early_eve, morning, later) == ([], ["avec@example.fr"], [])
    assert [m.subject.startswith("Rappel, c'est aujourd'hui") for m in mail.outbox[-1:]] == [True]
    assert runs(asked) == {"veille": ("sent", ""), "matin": ("sent", "")}
    assert runs(not_asked) == {"veille": ("sent", "")}
    assert runs(too_early) == {"veille": ("sent", "")}


def test_cancelled_and_waiting_registrations__are_never_reminded(
    meeting: EventPage, event_beat: Beat
) -> None:
    register(meeting, "inscrite@example.fr")
    register(meeting, "attente@example.fr", status=Waiting)
    register(meeting, "annulee@example.fr", status=Registration.Status.CANCELLED)
    cancel(register(meeting, "partie@example.fr"))

    assert recipients(event_beat(EVE)) == ["inscrite@example.fr"]
    assert EventReminderDelivery.objects.count() == 1


def test_cancelled_between_queueing_and_sending__the_reminder_never_leaves(
    meeting: EventPage, django_capture_on_commit_callbacks: Any
) -> None:
    stays = register(meeting, "reste@example.fr")
    leaves = register(meeting, "part@example.fr")
    with time_machine.travel(EVE, tick=False):
        # The outbox's messages are queued but no worker has sent them yet.
        with django_capture_on_commit_callbacks(execute=False):
            dispatch_event_reminders()
        assert OutboxEmail.objects.filter(sent_at=None).count() == 2

        cancel(leaves)
        drain_outbox()

    reminders = [m for m in mail.outbox if m.subject.startswith("Rappel")]
    assert recipients(reminders) == ["reste@example.fr"]
    assert not OutboxEmail.objects.filter(kind="registration_reminder", to="part@example.fr")
    # The cancellation itself was confirmed: the request was a real one.
    assert OutboxEmail.objects.get(kind="registration_cancelled").to == "part@example.fr"
    # Its ledger row stays: the slot is done for that registration, nothing to send again.
    assert EventReminderDelivery.objects.filter(registration=leaves).exists()
    assert OutboxEmail.objects.get(kind="registration_reminder").to == stays.email


def test_cancelled_through_the_reminders_link__no_reminder_after_it(
    make_event: Callable[..., EventPage], event_beat: Beat, client: Client
) -> None:
    meeting = make_event(reminder_morning=True)
    register(meeting, "marie@example.fr")
    register(meeting, "karim@example.fr")
    [to_marie] = [m for m in event_beat(EVE) if m.to == ["marie@example.fr"]]
    link = re.search(r"https?://\S+/inscriptions/annuler/\S+/", to_marie.body)
    assert link is not None
    path = urlsplit(link.group()).path

    with time_machine.travel(paris(2025, 3, 12, 20, 0), tick=False):
        page = client.get(path)
        answer = client.post(path)

    assert (page.status_code, answer.status_code) == (200, 200)
    assert Registration.objects.get(email="marie@example.fr").status == "cancelled"
    assert recipients(event_beat(MORNING)) == ["karim@example.fr"]


def test_cancelled_while_the_run_is_at_their_row__no_ledger_row_no_email(
    meeting: EventPage, event_beat: Beat, monkeypatch: pytest.MonkeyPatch
) -> None:
    register(meeting, "premiere@example.fr")
    late = register(meeting, "deuxieme@example.fr")
    real_render = events.render_reminder

    def cancelled_meanwhile(registration: Registration, context: dict[str, Any]) -> Any:
        # The batch was read while still confirmed; the cancellation commits just before
        # this person's transaction.
        if registration.pk == late.pk:
            Registration.objects.filter(pk=late.pk).update(status=Registration.Status.CANCELLED)
        return real_render(registration, context)

    monkeypatch.setattr(events, "render_reminder", cancelled_meanwhile)

    assert recipients(event_beat(EVE)) == ["premiere@example.fr"]
    assert not EventReminderDelivery.objects.filter(registration=late).exists()
    assert runs(meeting) == {"veille": ("sent", "")}


def test_promoted_before_the_slot__gets_it_and_promoted_after__does_not(
    make_event: Callable[..., EventPage], event_beat: Beat
) -> None:
    meeting = make_event(reminder_morning=True)
    register(meeting, "inscrite@example.fr")
    early = register(meeting, "promue-tot@example.fr", status=Waiting)
    late = register(meeting, "promue-tard@example.fr", status=Waiting)
    promote(early, paris(2025, 3, 12, 9, 0))

    eve = recipients(event_beat(EVE))
    promote(late, paris(2025, 3, 12, 20, 0))  # after the day before's slot
    morning = recipients(event_beat(MORNING))

    assert eve == ["inscrite@example.fr", "promue-tot@example.fr"]
    assert morning == ["inscrite@example.fr", "promue-tard@example.fr", "promue-tot@example.fr"]


def test_registered_after_a_slot_time__is_not_sent_it_late(
    meeting: EventPage, event_beat: Beat
) -> None:
    register(meeting, "avant@example.fr")
    # The workers were down at 18:00; someone registers at 18:30, the beat comes back at 19:00.
    register(meeting, "apres@example.fr", at=paris(2025, 3, 12, 18, 30))

    assert recipients(event_beat(paris(2025, 3, 12, 19, 0))) == ["avant@example.fr"]
    assert runs(meeting) == {"veille": ("sent", "")}


def test_day_before_missed__superseded_by_the_morning_one(
    make_event: Callable[..., EventPage], event_beat: Beat
) -> None:
    meeting = make_event(reminder_morning=True)
    register(meeting, "marie@example.fr")

    # Nothing ran from the day before at 17:00 until the morning: one reminder, not two.
    assert recipients(event_beat(paris(2025, 3, 13, 8, 5))) == ["marie@example.fr"]
    assert recipients(event_beat(paris(2025, 3, 13, 8, 8))) == []
    assert runs(meeting) == {"veille": ("skipped", "superseded"), "matin": ("sent", "")}


def test_a_run_left_unfinished__is_superseded_at_its_next_batch(
    make_event: Callable[..., EventPage], monkeypatch: pytest.MonkeyPatch
) -> None:
    meeting = make_event(reminder_morning=True)
    for n in range(3):
        register(meeting, f"p{n}@example.fr")
    monkeypatch.setattr(events, "CHUNK_SIZE", 1)
    with time_machine.travel(EVE, tick=False):
        [run_id] = events.dispatch_due(hand_out=lambda pk: None)
    calls: list[int] = []
    real_deliver = events._deliver

    def morning_comes(*args: Any) -> bool:
        calls.append(1)
        result = real_deliver(*args)
        # After the first person, the run's worker is so slow that the morning comes.
        traveller.shift(timedelta(hours=14))
        return result

    monkeypatch.setattr(events, "_deliver", morning_comes)
    with time_machine.travel(EVE, tick=False) as traveller:
        assert send_event_reminder_run(run_id) == 1

    assert calls == [1]
    assert runs(meeting)["veille"] == ("skipped", "superseded")


def test_event_unpublished_or_moved__its_run_stops_with_the_reason(
    make_event: Callable[..., EventPage], event_beat: Beat
) -> None:
    gone = make_event(title="Dépubliée")
    moved = make_event(title="Déplacée")
    register(gone, "depubliee@example.fr")
    register(moved, "deplacee@example.fr")
    with time_machine.travel(EVE, tick=False):
        handed = events.dispatch_due(hand_out=lambda pk: None)
    assert len(handed) == 2
    gone.unpublish()
    moved.start, moved.end = START + timedelta(days=7), START + timedelta(days=7, hours=2)
    moved.save_revision().publish()

    assert event_beat(paris(2025, 3, 12, 18, 10)) == []

    assert runs(gone) == {"veille": ("skipped", "unpublished")}
    assert runs(moved) == {"veille": ("pending", "")}  # given back: due again a week later
    assert recipients(event_beat(paris(2025, 3, 19, 18, 0))) == ["deplacee@example.fr"]
    assert runs(moved) == {"veille": ("sent", "")}


def test_started_without_its_reminder__recorded_as_skipped(
    meeting: EventPage, event_beat: Beat
) -> None:
    register(meeting, "marie@example.fr")

    assert event_beat(paris(2025, 3, 13, 11, 0)) == []

    assert runs(meeting) == {"veille": ("skipped", "started")}


def test_run_asked_twice__sends_once(meeting: EventPage, event_beat: Beat) -> None:
    register(meeting, "marie@example.fr")
    event_beat(EVE)
    run = EventReminderRun.objects.get(event=meeting)
    EventReminderRun.objects.filter(pk=run.pk).update(status="pending")

    with time_machine.travel(EVE, tick=False):
        assert send_event_reminder_run(run.pk) == 0
        assert events.send_slot_now(meeting, "veille") == 0
    assert OutboxEmail.objects.filter(kind="registration_reminder").count() == 1


def test_worker_killed_mid_batch__the_rest_is_sent_once_its_lease_runs_out(
    meeting: EventPage, event_beat: Beat, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("a", "b", "c"):
        register(meeting, f"{name}@example.fr")
    real_deliver = events._deliver
    calls: list[Any] = []

    def dies_on_the_second(*args: Any) -> bool:
        calls.append(args)
        if len(calls) == 2:
            raise SystemError("worker lost")
        return real_deliver(*args)

    monkeypatch.setattr(events, "_deliver", dies_on_the_second)
    event_beat(EVE)
    monkeypatch.undo()
    assert runs(meeting)["veille"] == ("sending", "")

    assert event_beat(paris(2025, 3, 12, 18, 3)) == []  # still leased to the lost worker
    later = event_beat(paris(2025, 3, 12, 18, 9))
    assert recipients(later) == ["b@example.fr", "c@example.fr"]
    assert EventReminderDelivery.objects.count() == 3
    assert runs(meeting)["veille"] == ("sent", "")
