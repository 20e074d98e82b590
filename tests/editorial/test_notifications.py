"""French notifications, written to the outbox by Celery tasks (eager in tests) once the workflow
action commits, and delivered by the outbox like every other email."""

from __future__ import annotations

import logging
import smtplib
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from django.conf import settings
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from wagtail.models import TaskState

from editorial.tasks import send_chamber_digest
from mailing.models import OutboxEmail
from mailing.tasks import drain_outbox
from tests.factories.editorial import ChamberApproverFactory

from .conftest import current_task_state, edit, workflow_action

pytestmark = pytest.mark.django_db


def mails_to(outbox: list[Any], user: Any) -> list[Any]:
    return [mail for mail in outbox if user.email in mail.to]


def outbox_rows(user: Any, kind: str) -> list[OutboxEmail]:
    return list(OutboxEmail.objects.filter(to=user.email, kind=f"editorial_{kind}"))


@pytest.fixture
def at_chamber(make_page, author, reviewer, login, on_commit):  # type: ignore[no-untyped-def]
    """A joint page the communications review has approved, now awaiting the chamber."""
    page = make_page("Salon des artisans")
    on_commit(edit, login(author), page, "action-submit")
    on_commit(workflow_action, login(reviewer), page, "approve", "Relu : les horaires sont bons.")
    return page


def test_awaiting_chamber__each_approver_gets_the_title_comment_and_absolute_links(
    at_chamber, approver, second_approver, author, mailoutbox, on_commit
) -> None:
    # The approvers were created after the fixture's notice went out: ask again.
    from editorial.tasks import notify_reviewers

    mailoutbox.clear()
    task_state = current_task_state(at_chamber)
    on_commit(notify_reviewers, task_state.pk)

    for person in (approver, second_approver):
        [mail] = mails_to(mailoutbox, person)
        assert "Salon des artisans" in mail.subject
        assert "à valider" in mail.subject
        assert "Relu : les horaires sont bons." in mail.body
        assert (
            f"http://testserver/admin/pages/workflow/preview/{at_chamber.pk}/{task_state.task_id}/"
            in mail.body
        )
        assert f"http://testserver/admin/editorial/validation/{task_state.pk}/" in mail.body
        # Through the outbox, like every email: the row holds what was sent, and when.
        [row] = [r for r in outbox_rows(person, "awaiting_chamber") if r.subject == mail.subject]
        assert row.sent_at is not None
        assert row.body_text == mail.body
        assert row.body_html == ""
    assert not mails_to(mailoutbox, author)


def test_awaiting_chamber__sent_when_the_review_passes_it_on(
    make_page, author, reviewer, approver, login, on_commit, mailoutbox
) -> None:
    page = make_page("Journée portes ouvertes CMA")
    on_commit(edit, login(author), page, "action-submit")
    assert [m.to for m in mailoutbox] == [[reviewer.email]]  # the review step: reviewer only
    on_commit(workflow_action, login(reviewer), page, "approve", "À vous.")
    [mail] = mails_to(mailoutbox, approver)
    assert "Journée portes ouvertes CMA" in mail.subject
    assert "À vous." in mail.body


def test_request_changes__notifies_the_author_with_the_comment(
    at_chamber, author, approver, login, on_commit, mailoutbox
) -> None:
    mailoutbox.clear()
    response = on_commit(
        workflow_action, login(approver), at_chamber, "reject", "Le logo de la CMA manque."
    )
    assert response.status_code == 302
    [mail] = mails_to(mailoutbox, author)
    assert "Modifications demandées" in mail.subject
    assert "Le logo de la CMA manque." in mail.body
    assert "Approbatrice" in mail.body or approver.get_username() in mail.body
    assert f"http://testserver/admin/pages/{at_chamber.pk}/edit/" in mail.body


def test_approval__notifies_the_author_with_the_comment(
    at_chamber, author, approver, login, on_commit, mailoutbox
) -> None:
    mailoutbox.clear()
    on_commit(workflow_action, login(approver), at_chamber, "approve", "Parfait, merci.")
    [mail] = mails_to(mailoutbox, author)
    assert "approuvé" in mail.subject
    assert "Parfait, merci." in mail.body
    [row] = outbox_rows(author, "approved")
    assert (row.subject, row.body_text) == (mail.subject, mail.body)
    assert row.sent_at is not None


def test_wagtail_english_moderation_emails__are_not_sent(
    at_chamber, approver, login, on_commit, mailoutbox
) -> None:
    on_commit(workflow_action, login(approver), at_chamber, "approve")
    assert mailoutbox
    for mail in mailoutbox:
        assert "[Le Carburateur]" in mail.subject
        assert "moderation" not in mail.subject.lower()


def test_failing_address__is_logged_and_retried_by_the_outbox_without_blocking_the_others(
    make_page, author, reviewer, approver, login, on_commit, mailoutbox, monkeypatch, caplog
) -> None:
    broken = ChamberApproverFactory(username="injoignable")
    attempts: list[str] = []
    real_send = EmailBackend.send_messages

    def flaky_send(self: EmailBackend, messages: list[Any]) -> int:
        for message in messages:
            if broken.email in message.to:
                attempts.append(message.subject)
                if len(attempts) < 3:
                    raise smtplib.SMTPRecipientsRefused({broken.email: (550, b"inconnu")})
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky_send)
    page = make_page("Forum de l'apprentissage")
    on_commit(edit, login(author), page, "action-submit")
    with caplog.at_level(logging.WARNING, logger="mailing.outbox"):
        response = on_commit(workflow_action, login(reviewer), page, "approve")

    assert response.status_code == 302
    assert current_task_state(page).task.name == "Validation Chambre"
    assert len(mails_to(mailoutbox, approver)) == 1
    [row] = outbox_rows(broken, "awaiting_chamber")
    assert (row.sent_at, row.attempts) == (None, 1)
    assert "550" in row.last_error
    # Logged, with the address masked as every log line masks it (ops.logs).
    messages = [record.getMessage() for record in caplog.records]
    assert any(f"courriel {row.pk}" in message and "550" in message for message in messages)
    assert any("***@example.org" in message for message in messages)
    assert not any(broken.email in message for message in messages)

    # The outbox's beat task tries again after a pause that grows with each failure.
    assert drain_outbox() == 0
    now = timezone.now()
    with time_machine.travel(now + timedelta(minutes=6)):
        assert drain_outbox() == 0  # the second attempt fails too
    with time_machine.travel(now + timedelta(minutes=17)):
        assert drain_outbox() == 1
    row.refresh_from_db()
    assert row.sent_at is not None
    assert row.attempts == 3
    assert len(attempts) == 3
    [mail] = mails_to(mailoutbox, broken)
    assert mail.subject == row.subject
    assert len(mails_to(mailoutbox, approver)) == 1  # nobody else got a second copy


def test_failing_address_for_good__never_blocks_the_workflow_action(
    make_page, author, reviewer, approver, login, on_commit, mailoutbox, monkeypatch
) -> None:
    broken = ChamberApproverFactory(username="disparu")
    real_send = EmailBackend.send_messages

    def refuse(self: EmailBackend, messages: list[Any]) -> int:
        if any(broken.email in message.to for message in messages):
            raise smtplib.SMTPServerDisconnected("connexion perdue")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", refuse)
    page = make_page("Soirée des créateurs")
    on_commit(edit, login(author), page, "action-submit")
    response = on_commit(workflow_action, login(reviewer), page, "approve")
    assert response.status_code == 302
    state = current_task_state(page)
    assert state.status == TaskState.STATUS_IN_PROGRESS
    assert state.task.name == "Validation Chambre"
    assert len(mails_to(mailoutbox, approver)) == 1
    [row] = outbox_rows(broken, "awaiting_chamber")
    assert row.sent_at is None
    assert row.last_error == "connexion perdue"


def test_digest__lists_what_waited_over_a_day_to_each_approver(
    at_chamber, approver, second_approver, author, mailoutbox, on_commit
) -> None:
    mailoutbox.clear()
    on_commit(send_chamber_digest)
    assert not mailoutbox  # nothing has waited a day yet
    assert not OutboxEmail.objects.filter(kind="editorial_digest").exists()

    with time_machine.travel(timezone.now() + timedelta(days=1, hours=1)):
        on_commit(send_chamber_digest)
    for person in (approver, second_approver):
        [mail] = mails_to(mailoutbox, person)
        assert "1 contenu conjoint attend votre validation" in mail.subject
        assert "Salon des artisans" in mail.body
        assert "http://testserver/admin/editorial/validation/" in mail.body
        [row] = outbox_rows(person, "digest")
        assert (row.subject, row.body_text) == (mail.subject, mail.body)
    assert not mails_to(mailoutbox, author)


def test_digest__scheduled_weekday_mornings_paris_time() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["editorial-chamber-digest"]
    assert entry["task"] == send_chamber_digest.name
    schedule = entry["schedule"]
    assert schedule.hour == {8}
    assert schedule.minute == {30}
    assert schedule.day_of_week == {1, 2, 3, 4, 5}
    assert settings.CELERY_TIMEZONE == "Europe/Paris"
