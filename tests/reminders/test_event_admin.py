"""An event's reminders in the admin (times, states, a dry-run count) and the support command."""

from __future__ import annotations

from collections.abc import Callable
from io import StringIO
from typing import Any

import pytest
import time_machine

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from programs.models import EventPage
from reminders.models import EventReminderDelivery
from tests.subscriptions.fixtures import page_text

from .event_fixtures import EVE, register
from .fixtures import paris

pytestmark = pytest.mark.django_db

BEFORE = paris(2025, 3, 10, 12, 0)


def test_admin_plan__shows_each_reminder_time_state_and_count(
    admin_client_logged: Client, make_event: Callable[..., EventPage], event_beat: Any
) -> None:
    meeting = make_event(title="Atelier CMA", reminder_morning=True)
    register(meeting, "a@example.fr")
    register(meeting, "b@example.fr")
    url = f"/admin/rappels-aux-inscrits/{meeting.pk}/"

    with time_machine.travel(BEFORE, tick=False):
        before = page_text(admin_client_logged.get(url))
        edit = page_text(admin_client_logged.get(f"/admin/pages/{meeting.pk}/edit/"))
    event_beat(EVE)
    with time_machine.travel(paris(2025, 3, 12, 19, 0), tick=False):
        after = page_text(admin_client_logged.get(url))

    assert "mercredi 12 mars 2025 à 18 h 00" in before
    assert "jeudi 13 mars 2025 à 8 h 00" in before
    assert before.count("<td>prévu</td><td>2</td>") == 2
    assert url in edit
    assert "<td>envoyé</td><td>2</td>" in after


def test_admin_plan__refused_to_a_user_who_cannot_edit_the_event(
    client: Client, meeting: EventPage, django_user_model: Any
) -> None:
    group = Group.objects.create(name="Lecteurs")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("lecteur", password="x")
    user.groups.add(group)
    client.force_login(user)

    refused = client.get(f"/admin/rappels-aux-inscrits/{meeting.pk}/")

    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard.
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("event_reminders", *args, stdout=out)
    return out.getvalue()


def test_command__lists_and_sends_a_due_reminder_once(
    meeting: EventPage, django_capture_on_commit_callbacks: Any
) -> None:
    register(meeting, "a@example.fr")
    with time_machine.travel(BEFORE, tick=False):
        listing = run_command()
        assert "Rien n'est parti" in run_command("--send", str(meeting.pk), "veille")
    with (
        time_machine.travel(paris(2025, 3, 12, 18, 1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = run_command("--send", str(meeting.pk), "veille")
        again = run_command("--send-due")

    assert f"Réunion d'information [{meeting.pk}]" in listing
    assert "mercredi 12 mars 2025 à 18 h 00" in listing
    assert "1 destinataire(s)" in listing
    assert "1 courriel(s) mis en file d'envoi" in first
    assert "0 rappel(s) dû(s) traité(s)" in again
    assert [message.to for message in mail.outbox] == [["a@example.fr"]]
    assert EventReminderDelivery.objects.count() == 1


def test_command__unknown_slot__says_which_exist(meeting: EventPage) -> None:
    with pytest.raises(CommandError, match="veille"):
        run_command("--send", str(meeting.pk), "demain")
