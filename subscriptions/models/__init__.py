"""Models of the subscriptions app, one module per concern."""

from __future__ import annotations

from .consent import AppendOnlyError, ConsentEvent, ConsentWording
from .imports import SubscriberImport
from .subscribers import Subscriber, SubscriberQuerySet, Topic

__all__ = [
    "AppendOnlyError",
    "ConsentEvent",
    "ConsentWording",
    "Subscriber",
    "SubscriberImport",
    "SubscriberQuerySet",
    "Topic",
]
