"""An import whose task never reached the broker is queued again by its own beat entry."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import time_machine

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from config.celery import app as celery_app
from subscriptions.models import Subscriber, SubscriberImport
from subscriptions.tasks import import_subscribers, requeue_stalled_imports

pytestmark = pytest.mark.django_db


def broker_down(*args: Any, **kwargs: Any) -> None:
    raise ConnectionRefusedError("broker down")


@pytest.fixture
def queued_import(tmp_path: Path, topics: dict) -> SubscriberImport:
    """An uploaded file whose task was lost: the row waits, still queued."""
    stored = tmp_path / "liste.csv"
    stored.write_text("email\nperdu@example.fr\n", encoding="utf-8")
    return SubscriberImport.objects.create(
        original_name="liste.csv",
        stored_path=str(stored),
        consent_source="Salon 2025",
        default_topics=["actualites"],
    )


def test_requeue__runs_from_its_own_beat_entry() -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["subscriptions-requeue-stalled-imports"]
    assert entry["task"] == "subscriptions.tasks.requeue_stalled_imports"
    assert entry["task"] in celery_app.tasks
    # The import task keeps the name it had in newsletters: queued messages still find it.
    assert import_subscribers.name == "newsletters.tasks.import_subscribers"


def test_requeue__imports_a_file_left_queued_for_two_minutes(
    queued_import: SubscriberImport,
) -> None:
    assert requeue_stalled_imports.delay().get() == 0  # too recent: its task may be on its way

    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert requeue_stalled_imports.delay().get() == 1

    queued_import.refresh_from_db()
    assert queued_import.status == SubscriberImport.Status.DONE
    assert Subscriber.objects.filter(email="perdu@example.fr", status="confirmed").exists()


def test_requeue__a_broker_still_down_is_logged_and_the_import_waits(
    queued_import: SubscriberImport, monkeypatch: pytest.MonkeyPatch, caplog: Any
) -> None:
    monkeypatch.setattr(import_subscribers, "apply_async", broker_down)

    with time_machine.travel(timezone.now() + timedelta(minutes=3)):
        assert requeue_stalled_imports() == 0

    queued_import.refresh_from_db()
    assert queued_import.status == SubscriberImport.Status.QUEUED
    assert "newsletters.tasks.import_subscribers" in caplog.text


def test_admin_upload__a_broker_down_leaves_the_import_queued_for_beat(
    editor_client: Any,
    topics: dict,
    monkeypatch: pytest.MonkeyPatch,
    django_capture_on_commit_callbacks: Any,
) -> None:
    monkeypatch.setattr(import_subscribers, "apply_async", broker_down)
    upload = SimpleUploadedFile("liste.csv", b"email\nattente@example.fr\n", "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = editor_client.post(
            "/admin/newsletters/subscriber/import/",
            {"file": upload, "consent_source": "Salon 2025", "default_topics": ["actualites"]},
        )

    record = SubscriberImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/admin/newsletters/subscriber/import/{record.pk}/"
    assert record.status == SubscriberImport.Status.QUEUED
