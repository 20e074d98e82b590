"""Attendees are anonymised some months after their event; the counts and check-ins stay."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from django.conf import settings as django_settings
from django.test import Client

from mailing.addresses import address_hash
from mailing.models import OutboxEmail
from registrations import privacy
from registrations.models import Registration
from registrations.tasks import anonymise_past_registrations
from tests.factories.programs import EventPageFactory

from .privacy_helpers import registration

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 6, 15, 12, 0, tzinfo=UTC)


def ended(months: int, days: int = 0) -> Any:
    """An event that ended ``months`` months (and ``days`` days) before NOW."""
    end = privacy.months_before(NOW, months) - timedelta(days=days)
    return EventPageFactory(start=end - timedelta(hours=2), end=end)


def sent_email(email: str, kind: str, created_at: datetime) -> OutboxEmail:
    outbox = OutboxEmail.objects.create(
        kind=kind,
        address_hash=address_hash(email),
        to=email,
        subject="Inscription confirmée",
        body_text="Bonjour",
        sent_at=created_at,
    )
    OutboxEmail.objects.filter(pk=outbox.pk).update(created_at=created_at)
    return outbox


def test_anonymise__attendees_of_an_event_past_the_retention_lose_every_personal_detail(
    home_page: Any,
) -> None:
    old = ended(12, days=1)
    present = registration(
        old,
        "leila@example.fr",
        phone="06 11 22 33 44",
        answers=[{"id": "q1", "label": "Votre activité", "answer": "Ébéniste"}],
        checked_in_at=old.start,
    )
    registration(old, "paul@example.fr")
    registration(old, "ines@example.fr", Registration.Status.WAITING)
    registration(old, "tom@example.fr", Registration.Status.CANCELLED)

    assert privacy.anonymise_past_registrations(NOW) == 4

    present.refresh_from_db()
    assert (present.name, present.email, present.phone, present.answers) == ("", "", "", [])
    assert present.consent_text == ""
    assert present.address_hash != address_hash("leila@example.fr")
    assert present.anonymised_at == NOW
    # What the attendance rates are made of is untouched.
    assert present.checked_in_at == old.start
    rows = Registration.objects.filter(event=old)
    assert sorted(rows.values_list("status", flat=True)) == [
        "cancelled",
        "confirmed",
        "confirmed",
        "waiting",
    ]
    assert rows.filter(checked_in_at__isnull=False).count() == 1
    assert not rows.exclude(email="").exists()


def test_anonymise__an_event_within_the_retention_or_to_come_keeps_its_attendees(
    home_page: Any,
) -> None:
    recent = registration(ended(11, days=27), "leila@example.fr")
    upcoming = registration(EventPageFactory(), "paul@example.fr")
    # A three-day training that began before the retention period but ended within it.
    end = privacy.months_before(NOW, 12) + timedelta(days=1)
    long_training = EventPageFactory(start=end - timedelta(days=3), end=end)
    long_one = registration(long_training, "ines@example.fr")

    assert privacy.anonymise_past_registrations(NOW) == 0

    for kept in (recent, upcoming, long_one):
        kept.refresh_from_db()
        assert kept.anonymised_at is None
        assert kept.email.endswith("@example.fr")


def test_anonymise__follows_the_retention_setting(home_page: Any, settings: Any) -> None:
    settings.REGISTRATIONS_RETENTION_MONTHS = 3
    kept = registration(ended(2), "paul@example.fr")
    gone = registration(ended(3, days=1), "leila@example.fr")

    assert privacy.anonymise_past_registrations(NOW) == 1

    assert Registration.objects.get(pk=gone.pk).anonymised_at == NOW
    assert Registration.objects.get(pk=kept.pk).anonymised_at is None


def test_anonymise__idempotent_and_in_batches(home_page: Any, monkeypatch: Any) -> None:
    monkeypatch.setattr(privacy, "ANONYMISE_BATCH", 2)
    old = ended(13)
    for number in range(5):
        registration(old, f"personne{number}@example.fr")

    assert privacy.anonymise_past_registrations(NOW) == 5
    later = NOW + timedelta(days=1)
    assert privacy.anonymise_past_registrations(later) == 0

    assert set(Registration.objects.values_list("anonymised_at", flat=True)) == {NOW}


def test_anonymise__an_anonymised_person_may_register_again_and_is_no_longer_exported(
    home_page: Any,
) -> None:
    old = ended(13)
    registration(old, "leila@example.fr")
    privacy.anonymise_past_registrations(NOW)

    # The unique (event, address) rule no longer sees the anonymised row.
    registration(old, "leila@example.fr")

    exported = privacy.export_registrations(address_hash("leila@example.fr"))
    assert len(exported["inscriptions_aux_evenements"]) == 1


def test_anonymise__the_sent_emails_about_the_event_go_with_the_person(
    home_page: Any,
) -> None:
    old = ended(13)
    registration(old, "leila@example.fr")
    about_the_event = sent_email("leila@example.fr", "registration_confirmed", old.start)
    newsletter = sent_email("leila@example.fr", "subscription_confirmation", old.start)
    later_event = sent_email("leila@example.fr", "registration_confirmed", NOW)

    privacy.anonymise_past_registrations(NOW)

    remaining = set(OutboxEmail.objects.values_list("pk", flat=True))
    assert about_the_event.pk not in remaining
    assert {newsletter.pk, later_event.pk} <= remaining


def test_anonymise__the_beat_task_runs_it_nightly(home_page: Any) -> None:
    registration(ended(13), "leila@example.fr")
    entry = django_settings.CELERY_BEAT_SCHEDULE["registrations-anonymise"]
    assert entry["task"] == anonymise_past_registrations.name

    assert anonymise_past_registrations.apply().get() == 1
    assert Registration.objects.get().email == ""


@pytest.mark.parametrize(
    ("moment", "months", "expected"),
    [
        (datetime(2026, 3, 31, 9, tzinfo=UTC), 1, datetime(2026, 2, 28, 9, tzinfo=UTC)),
        (datetime(2026, 1, 15, 9, tzinfo=UTC), 12, datetime(2025, 1, 15, 9, tzinfo=UTC)),
        (datetime(2026, 1, 15, 9, tzinfo=UTC), 13, datetime(2024, 12, 15, 9, tzinfo=UTC)),
    ],
)
def test_months_before__counts_calendar_months(
    moment: datetime, months: int, expected: datetime
) -> None:
    assert privacy.months_before(moment, months) == expected


@pytest.mark.usefixtures("page_cache_off")
def test_privacy_page__states_the_registrations_retention_of_the_settings(
    client: Client, home_page: Any, settings: Any
) -> None:
    settings.REGISTRATIONS_RETENTION_MONTHS = 18
    html = client.get("/politique-de-confidentialite/").content.decode()

    row = html[html.index("Inscription à un événement") :]
    row = row[: row.index("</dd>", row.index("</dd>") + 1) + 5]
    assert "18 mois après la fin de l&#x27;événement, puis anonymisation automatique" in row
    assert "Appliquée automatiquement par le site" in row
