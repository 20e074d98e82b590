"""Models of the newsletters app, one module per concern."""

from __future__ import annotations

from .consent import AppendOnlyError, ConsentEvent, ConsentWording
from .imports import SubscriberImport
from .issues import NewsletterIndexPage, NewsletterPage
from .reminders import ContestFollow, ReminderDelivery, ReminderRun
from .sending import Delivery, Send
from .subscribers import Subscriber, SubscriberQuerySet, Topic

__all__ = [
    "AppendOnlyError",
    "ConsentEvent",
    "ConsentWording",
    "ContestFollow",
    "Delivery",
    "NewsletterIndexPage",
    "NewsletterPage",
    "ReminderDelivery",
    "ReminderRun",
    "Send",
    "Subscriber",
    "SubscriberImport",
    "SubscriberQuerySet",
    "Topic",
]
