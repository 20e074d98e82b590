"""The reminder plan in the admin (times and a dry-run count) and the support command."""

from __future__ import annotations

import re
from io import StringIO
from typing import Any

import pytest
import time_machine

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import CommandError, call_command
from django.test import Client

from programs.models import ContestPage
from reminders.models import ReminderDelivery
from tests.subscriptions.fixtures import page_text

from .fixtures import paris

pytestmark = pytest.mark.django_db

BEFORE_OPENING = paris(2025, 2, 20, 12, 0)


def test_admin_plan__shows_each_send_time_and_how_many_it_would_reach(
    admin_client_logged: Client, aviva: ContestPage, topic_subscriber: Any, follower: Any
) -> None:
    topic_subscriber("a@example.fr")
    topic_subscriber("b@example.fr")
    follower("c@example.fr", aviva)

    with time_machine.travel(BEFORE_OPENING, tick=False):
        response = admin_client_logged.get(f"/admin/rappels-de-vote/{aviva.pk}/")

    text = page_text(response)
    assert response.status_code == 200
    assert "vendredi 4 avril 2025 à 10 h 00" in text
    assert "vendredi 11 avril 2025 à 9 h 00" in text
    assert text.count("<td>prévu</td><td>3</td>") == 4


def test_admin_plan__listed_in_reports_and_on_the_contest_header(
    admin_client_logged: Client, aviva: ContestPage
) -> None:
    with time_machine.travel(BEFORE_OPENING, tick=False):
        listing = admin_client_logged.get("/admin/rappels-de-vote/")
        edit = admin_client_logged.get(f"/admin/pages/{aviva.pk}/edit/")
    assert "La Fabrique Aviva" in page_text(listing)
    assert f"/admin/rappels-de-vote/{aviva.pk}/" in page_text(edit)


def test_admin_plan__refused_to_a_user_who_cannot_edit_the_contest(
    client: Client, aviva: ContestPage, django_user_model: Any
) -> None:
    group = Group.objects.create(name="Lecteurs")
    group.permissions.add(Permission.objects.get(codename="access_admin"))
    user = django_user_model.objects.create_user("lecteur", password="x")
    user.groups.add(group)
    client.force_login(user)

    refused = client.get(f"/admin/rappels-de-vote/{aviva.pk}/")
    # Wagtail answers a PermissionDenied in the admin with a redirect to the dashboard.
    assert (refused.status_code, refused["Location"]) == (302, "/admin/")
    with time_machine.travel(BEFORE_OPENING, tick=False):
        assert "La Fabrique Aviva" not in page_text(client.get("/admin/rappels-de-vote/"))


def run_command(*args: str) -> str:
    out = StringIO()
    call_command("contest_reminders", *args, stdout=out)
    return out.getvalue()


def test_command__lists_upcoming_reminders_with_their_recipients(
    aviva: ContestPage, topic_subscriber: Any
) -> None:
    topic_subscriber("a@example.fr")
    with time_machine.travel(BEFORE_OPENING, tick=False):
        output = run_command()
    assert f"La Fabrique Aviva [{aviva.pk}]" in output
    assert "cloture-j7" in output
    assert "vendredi 4 avril 2025 à 10 h 00" in output
    assert "1 destinataire(s)" in output


def test_command__sends_a_due_reminder_now_and_only_once(
    aviva: ContestPage, topic_subscriber: Any, django_capture_on_commit_callbacks: Any
) -> None:
    topic_subscriber("a@example.fr")
    with (
        time_machine.travel(paris(2025, 3, 1, 9, 1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        first = run_command("--send", str(aviva.pk), "ouverture")
        again = run_command("--send-due")
    assert "1 courriel(s) mis en file d'envoi" in first
    assert "0 rappel(s) dû(s) traité(s)" in again
    assert [message.to for message in mail.outbox] == [["a@example.fr"]]


def test_command__a_reminder_not_yet_due_needs_force(
    aviva: ContestPage, topic_subscriber: Any
) -> None:
    topic_subscriber("a@example.fr")
    with time_machine.travel(paris(2025, 3, 2, 12, 0), tick=False):
        assert "Rien n'est parti" in run_command("--send", str(aviva.pk), "cloture-j7")
        assert ReminderDelivery.objects.count() == 0
        run_command("--send", str(aviva.pk), "cloture-j7", "--force")
    assert ReminderDelivery.objects.filter(slot_key="cloture-j7").count() == 1


def test_command__unknown_slot__says_which_exist(aviva: ContestPage) -> None:
    with pytest.raises(CommandError, match="cloture-j1"):
        run_command("--send", str(aviva.pk), "demain")


SUBSCRIBERS = "/admin/newsletters/subscriber/"


def row_of(email: str, text: str) -> str:
    [row] = [row for row in re.findall(r"<tr.*?</tr>", text, re.S) if email in row]
    return row


def test_subscriber_list__tells_a_reminder_only_follower_from_an_unconfirmed_sign_up(
    admin_client_logged: Client, aviva: ContestPage, follower: Any, subscribe: Any
) -> None:
    follower("suiveuse@example.fr", aviva)
    subscribe("attente@example.fr")

    text = page_text(admin_client_logged.get(SUBSCRIBERS))
    reminders_only = page_text(
        admin_client_logged.get(SUBSCRIBERS, {"situation": "rappels-uniquement"})
    )
    unconfirmed = page_text(admin_client_logged.get(SUBSCRIBERS, {"situation": "non-confirmee"}))

    assert "rappels de vote uniquement" in row_of("suiveuse@example.fr", text)
    assert "inscription non confirmée" in row_of("attente@example.fr", text)
    assert "suiveuse@example.fr" in reminders_only and "attente@example.fr" not in reminders_only
    assert "attente@example.fr" in unconfirmed and "suiveuse@example.fr" not in unconfirmed
