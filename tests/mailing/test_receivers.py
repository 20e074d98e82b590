"""ESP reports suppress the address, then tell the apps above through ``address_reported``."""

from __future__ import annotations

from typing import Any

import pytest
from anymail.signals import AnymailTrackingEvent, EventType

from mailing.addresses import address_hash
from mailing.models import Suppression
from mailing.receivers import handle_tracking
from mailing.signals import address_reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def reported() -> Any:
    calls: list[dict[str, Any]] = []

    def receiver(sender: Any, **kwargs: Any) -> None:
        kwargs.pop("signal")
        calls.append(kwargs)

    address_reported.connect(receiver, weak=False)
    yield calls
    address_reported.disconnect(receiver)


def report(event_type: str, recipient: str = "Marie@Example.FR") -> None:
    event = AnymailTrackingEvent(event_type=event_type, recipient=recipient)
    handle_tracking(sender=None, event=event, esp_name="postmark")


def test_bounce__suppresses_the_address_and_says_so_with_the_reason(reported: Any) -> None:
    report(EventType.BOUNCED)

    email_hash = address_hash("marie@example.fr")
    assert Suppression.objects.get().address_hash == email_hash
    assert Suppression.objects.get().reason == Suppression.Reason.BOUNCED
    assert reported == [
        {
            "address_hash": email_hash,
            "reason": Suppression.Reason.BOUNCED,
            "source": "webhook postmark (bounced)",
        }
    ]


def test_complaint__overrides_an_earlier_reason(reported: Any) -> None:
    report(EventType.BOUNCED)
    report(EventType.COMPLAINED)

    assert Suppression.objects.get().reason == Suppression.Reason.COMPLAINT
    assert [call["reason"] for call in reported] == ["bounced", "complaint"]


def test_delivery_or_unreadable_address__changes_nothing(reported: Any) -> None:
    report(EventType.DELIVERED)
    report(EventType.BOUNCED, recipient="pas une adresse")

    assert not Suppression.objects.exists()
    assert reported == []


def test_a_failing_receiver__rolls_the_suppression_back(reported: Any) -> None:
    def broken(sender: Any, **kwargs: Any) -> None:
        raise RuntimeError("désinscription impossible")

    address_reported.connect(broken, weak=False)
    try:
        with pytest.raises(RuntimeError):
            report(EventType.COMPLAINED)
    finally:
        address_reported.disconnect(broken)
    assert not Suppression.objects.exists()
