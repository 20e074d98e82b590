"""Sign-ups never confirmed are forgotten after NEWSLETTERS_PURGE_UNCONFIRMED_DAYS."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import time_machine

from django.conf import settings

from config.celery import app as celery_app
from mailing.models import OutboxEmail
from subscriptions.models import ConsentEvent, Subscriber
from subscriptions.tasks import purge_unconfirmed_signups

pytestmark = pytest.mark.django_db

# In UTC: the arithmetic below counts elapsed time, across the change to summer time.
SIGNED_UP = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_purge__forgets_a_sign_up_unconfirmed_for_30_days_with_its_emails(
    subscribe: Any, confirmed: Any
) -> None:
    with time_machine.travel(SIGNED_UP, tick=False):
        assert subscribe("oubli@example.fr").status_code == 302
        confirmed("fidele@example.fr")
    assert OutboxEmail.objects.filter(to="oubli@example.fr").exists()

    with time_machine.travel(SIGNED_UP + timedelta(days=29, hours=23), tick=False):
        assert purge_unconfirmed_signups.delay().get() == 0
    assert Subscriber.objects.filter(email="oubli@example.fr").exists()

    with time_machine.travel(SIGNED_UP + timedelta(days=30, minutes=1), tick=False):
        assert purge_unconfirmed_signups.delay().get() == 1
        assert purge_unconfirmed_signups.delay().get() == 0  # idempotent

    assert not Subscriber.objects.filter(email="oubli@example.fr").exists()
    assert not OutboxEmail.objects.filter(to="oubli@example.fr").exists()
    assert Subscriber.objects.get(email="fidele@example.fr").status == Subscriber.Status.CONFIRMED
    # The ledger names people by hash only: it keeps the sign-up request.
    assert ConsentEvent.objects.filter(kind=ConsentEvent.Kind.SUBSCRIPTION).count() == 2


def test_purge__keeps_a_person_who_asked_again_within_the_period(subscribe: Any) -> None:
    with time_machine.travel(SIGNED_UP, tick=False):
        subscribe("hesitant@example.fr")
    with time_machine.travel(SIGNED_UP + timedelta(days=25), tick=False):
        subscribe("hesitant@example.fr")  # a new confirmation email, valid for a week

    with time_machine.travel(SIGNED_UP + timedelta(days=31), tick=False):
        assert purge_unconfirmed_signups.delay().get() == 0

    assert Subscriber.objects.filter(email="hesitant@example.fr").exists()


def test_purge__period_is_a_setting(subscribe: Any, settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEWSLETTERS_PURGE_UNCONFIRMED_DAYS = 2
    with time_machine.travel(SIGNED_UP, tick=False):
        subscribe("oubli@example.fr")

    with time_machine.travel(SIGNED_UP + timedelta(days=3), tick=False):
        assert purge_unconfirmed_signups.delay().get() == 1


def test_purge__runs_every_night_from_beat() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["newsletters-purge-unconfirmed"]
    assert entry["task"] == "newsletters.tasks.purge_unconfirmed_signups"
    assert entry["task"] in celery_app.tasks
    assert settings.NEWSLETTERS_PURGE_UNCONFIRMED_DAYS == 30
