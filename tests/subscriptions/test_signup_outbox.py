"""A sign-up while the broker is down: the confirmation waits in the outbox for the drain."""

from __future__ import annotations

from typing import Any

import pytest
from kombu.exceptions import OperationalError

from django.core import mail

from mailing.models import OutboxEmail
from mailing.tasks import drain_outbox, send_due_outbox

pytestmark = pytest.mark.django_db


def test_broker_down__the_subscription_is_saved_and_the_drain_sends_it_later(
    subscribe: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broker_down(*args: Any, **kwargs: Any) -> None:
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_due_outbox, "apply_async", broker_down)
    response = subscribe()
    assert response.status_code == 302
    assert mail.outbox == []
    assert OutboxEmail.objects.get().sent_at is None

    monkeypatch.undo()
    assert drain_outbox() == 1
    assert len(mail.outbox) == 1
    assert "Confirmez votre inscription" in mail.outbox[0].subject
