"""An organiser's email to the registrants: through the outbox, with its ledger, once each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest

from django.core import mail
from django.test import Client
from django.utils import timezone

from mailing.models import OutboxEmail
from programs.models import EventPage
from registrations.messages import (
    KIND,
    resume_registrant_messages,
    send_pending,
    start_message,
)
from registrations.models import RegistrantMessage, RegistrantMessageDelivery, Registration
from tests.subscriptions.fixtures import page_text

from .organisers import *  # noqa: F403 - fixtures

pytestmark = pytest.mark.django_db


@pytest.fixture
def audience(training: EventPage, register: Callable) -> dict[str, Registration]:
    """Two confirmed, one waiting (all three written to), one cancelled, one anonymised."""
    people = {
        "helene": register(training, "Hélène Martin"),
        "karim": register(training, "Karim Benali"),
        "zoe": register(training, "Zoé Attente", status=Registration.Status.WAITING),
        "paul": register(training, "Paul Parti", status=Registration.Status.CANCELLED),
        "gone": register(training, "Ancienne Personne"),
    }
    Registration.objects.filter(pk=people["gone"].pk).update(anonymised_at=timezone.now())
    return people


def emails_per_address() -> dict[str, int]:
    counts: dict[str, int] = {}
    for to in OutboxEmail.objects.filter(kind=KIND).values_list("to", flat=True):
        counts[to] = counts.get(to, 0) + 1
    return counts


def test_form__sends_once_to_each_active_registrant_with_the_cancellation_link(
    login: Callable[[Any], Client],
    communication: Any,
    training: EventPage,
    audience: dict[str, Registration],
    django_capture_on_commit_callbacks: Any,
    client: Client,
) -> None:
    organiser = login(communication)
    form = organiser.get(f"/admin/inscriptions/{training.pk}/message/")
    assert "Le message part à 3 personnes" in page_text(form)

    with django_capture_on_commit_callbacks(execute=True):
        response = organiser.post(
            f"/admin/inscriptions/{training.pk}/message/",
            {"subject": "Changement de salle", "body": "Rendez-vous salle B.\n\nÀ jeudi !"},
        )

    assert response.status_code == 302
    assert response["Location"] == f"/admin/inscriptions/{training.pk}/"
    message = RegistrantMessage.objects.get()
    assert (message.subject, message.created_by, message.finished_at is not None) == (
        "Changement de salle",
        communication,
        True,
    )
    assert emails_per_address() == {
        "helene@example.fr": 1,
        "karim@example.fr": 1,
        "zoe@example.fr": 1,
    }
    assert message.deliveries.count() == 3
    assert all(d.outbox_email_id for d in message.deliveries.all())
    # Delivered by the outbox (eager Celery in tests): the shared layout, the text, the link.
    sent = {m.to[0]: m for m in mail.outbox}
    helene = sent["helene@example.fr"]
    assert helene.subject == "Changement de salle"
    assert "Bonjour Hélène Martin," in helene.body
    assert "Rendez-vous salle B." in helene.body
    html = helene.alternatives[0][0]
    assert "<p>Rendez-vous salle B.</p>" in html
    assert "Annuler mon inscription" in html
    cancel = re.search(r"http://testserver(/inscriptions/annuler/\S+/)", helene.body)
    assert cancel is not None
    assert client.get(cancel.group(1)).status_code == 200
    # The screen lists the message with its count.
    screen = page_text(organiser.get(f"/admin/inscriptions/{training.pk}/"))
    assert re.search(r"<td>Changement de salle</td><td>[^<]+</td><td>3</td><td>envoyé</td>", screen)


def test_form__bad_input_is_refused_in_french_and_nothing_is_stored(
    login: Callable[[Any], Client], communication: Any, training: EventPage, audience: dict
) -> None:
    response = login(communication).post(
        f"/admin/inscriptions/{training.pk}/message/", {"subject": "", "body": "   "}
    )

    assert response.status_code == 200
    # Wagtail's admin words the required-field error its own way.
    assert " ".join(page_text(response).split()).count("Champ requis.") == 2
    assert not RegistrantMessage.objects.exists()
    assert not OutboxEmail.objects.exists()


def test_resume__after_a_crash_mails_only_those_still_missing(
    training: EventPage, audience: dict[str, Registration], communication: Any
) -> None:
    """A run died after its first batch (committed: ledger rows with their outbox emails);
    the next run sends the rest, and a third sends nothing."""
    message = RegistrantMessage.objects.create(
        event=training, subject="Rappel", body="N'oubliez pas.", created_by=communication
    )

    assert send_pending(message.pk, batch_size=1) == 3  # three batches of one
    first_run = set(OutboxEmail.objects.filter(kind=KIND).values_list("pk", flat=True))
    # Forget the end of the run, as if the worker died before marking it finished, and take
    # one delivery back (with its email) as if its batch had rolled back.
    last = message.deliveries.order_by("-pk").first()
    assert last is not None
    OutboxEmail.objects.filter(pk=last.outbox_email_id).delete()
    last.delete()
    RegistrantMessage.objects.filter(pk=message.pk).update(finished_at=None)

    assert send_pending(message.pk) == 1
    assert send_pending(message.pk) == 0
    assert emails_per_address() == {
        "helene@example.fr": 1,
        "karim@example.fr": 1,
        "zoe@example.fr": 1,
    }
    assert len(first_run & set(OutboxEmail.objects.values_list("pk", flat=True))) == 2
    message.refresh_from_db()
    assert message.finished_at is not None


def test_resume__beat_finishes_a_message_whose_task_never_ran(
    training: EventPage, audience: dict[str, Registration], communication: Any
) -> None:
    message = RegistrantMessage.objects.create(
        event=training, subject="Rappel", body="N'oubliez pas.", created_by=communication
    )
    done = RegistrantMessage.objects.create(
        event=training, subject="Ancien", body="Déjà parti.", finished_at=timezone.now()
    )

    assert resume_registrant_messages() == 3
    assert resume_registrant_messages() == 0
    assert RegistrantMessageDelivery.objects.filter(message=message).count() == 3
    assert not RegistrantMessageDelivery.objects.filter(message=done).exists()


def test_a_registrant_who_cancels_before_the_resume_is_not_written_to(
    training: EventPage, audience: dict[str, Registration], communication: Any
) -> None:
    message = start_message(training, subject="Rappel", body="Bientôt.", user=communication)
    Registration.objects.filter(pk=audience["karim"].pk).update(
        status=Registration.Status.CANCELLED
    )

    send_pending(message.pk)

    assert "karim@example.fr" not in emails_per_address()
    assert len(emails_per_address()) == 2
