"""Models of the newsletters app, one module per concern."""

from __future__ import annotations

from .consent import AppendOnlyError, ConsentEvent, ConsentWording
from .imports import SubscriberImport
from .outbox import OutboxEmail
from .reminders import ContestFollow, ReminderDelivery, ReminderRun
from .subscribers import Subscriber, SubscriberQuerySet, Topic
from .suppression import Suppression

__all__ = [
    "AppendOnlyError",
    "ConsentEvent",
    "ConsentWording",
    "ContestFollow",
    "OutboxEmail",
    "ReminderDelivery",
    "ReminderRun",
    "Subscriber",
    "SubscriberImport",
    "SubscriberQuerySet",
    "Suppression",
    "Topic",
]
