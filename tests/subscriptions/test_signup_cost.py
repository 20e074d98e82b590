"""What one sign-up costs: the queries of the POST and the tasks it leaves for the worker.

``make bench-load`` posts the form at 64 connections: each query and each queued task is
paid by every sign-up.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from celery import Task
from django_tasks.backends.immediate import ImmediateBackend

from django.contrib.contenttypes.models import ContentType
from django.test import Client

from wagtail.models import ReferenceIndex

from subscriptions.models import ConsentEvent, ConsentWording, Subscriber

from .conftest import SIGNUP_URL, page_text, signup_data

pytestmark = pytest.mark.django_db

# The transaction (a savepoint inside the test's own: 2); the subscriber inserted unless it
# exists (ON CONFLICT DO NOTHING), then read (2); the ledger event; the outbox row. The topics
# and the submitted wording are checked against the cache (forms.signup_validation_choices),
# and the site of the request is cached, by the first request.
SIGNUP_QUERIES = 6


@pytest.fixture
def queued_tasks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The name of every Celery task and Django task queued, in order."""
    names: list[str] = []
    apply_async = Task.apply_async
    enqueue = ImmediateBackend.enqueue

    def recording_apply_async(self: Task, *args: Any, **kwargs: Any) -> Any:
        names.append(self.name)
        return apply_async(self, *args, **kwargs)

    def recording_enqueue(self: ImmediateBackend, task: Any, *args: Any, **kwargs: Any) -> Any:
        names.append(task.module_path)
        return enqueue(self, task, *args, **kwargs)

    monkeypatch.setattr(Task, "apply_async", recording_apply_async)
    monkeypatch.setattr(ImmediateBackend, "enqueue", recording_enqueue)
    yield names


def test_signup__queues_the_confirmation_and_nothing_else_for_the_worker(
    subscribe: Any, queued_tasks: list[str]
) -> None:
    response = subscribe()

    assert response.status_code == 302
    assert queued_tasks == ["mailing.tasks.send_due_outbox"]


def test_consent_events__stay_out_of_wagtails_reference_index(subscribe: Any) -> None:
    assert subscribe().status_code == 302
    assert ConsentEvent.objects.exists()

    assert not ReferenceIndex.is_indexed(ConsentEvent)
    event_type = ContentType.objects.get_for_model(ConsentEvent)
    assert not ReferenceIndex.objects.filter(content_type=event_type).exists()


def test_signup_post__query_count_is_pinned(
    client: Client, topics: dict, django_assert_max_num_queries: Any
) -> None:
    assert client.post(SIGNUP_URL, signup_data(email="premiere@example.fr")).status_code == 302
    data = signup_data(email="marie@example.fr")
    with django_assert_max_num_queries(SIGNUP_QUERIES):
        response = client.post(SIGNUP_URL, data)
    assert response.status_code == 302
    assert Subscriber.objects.filter(email="marie@example.fr").exists()


def test_signup_with_errors__shows_the_current_consent_wording_again(
    client: Client, topics: dict
) -> None:
    ConsentWording.objects.create(text="J'accepte la version deux de ce texte.")

    response = client.post(SIGNUP_URL, signup_data(email="pas une adresse"))

    assert response.status_code == 400
    assert "J'accepte la version deux de ce texte." in page_text(response)
