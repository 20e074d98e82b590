"""Models of the newsletters app, one module per concern."""

from __future__ import annotations

from .consent import AppendOnlyError, ConsentEvent, ConsentWording
from .imports import SubscriberImport
from .issues import NewsletterIndexPage, NewsletterPage
from .outbox import OutboxEmail
from .sending import Delivery, Send, ThrottleBucket
from .subscribers import Subscriber, SubscriberQuerySet, Topic
from .suppression import Suppression

__all__ = [
    "AppendOnlyError",
    "ConsentEvent",
    "ConsentWording",
    "Delivery",
    "NewsletterIndexPage",
    "NewsletterPage",
    "OutboxEmail",
    "Send",
    "Subscriber",
    "SubscriberImport",
    "SubscriberQuerySet",
    "Suppression",
    "ThrottleBucket",
    "Topic",
]
