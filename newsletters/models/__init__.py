"""Models of the newsletters app, one module per concern."""

from __future__ import annotations

from .issues import NewsletterIndexPage, NewsletterPage
from .outbox import OutboxEmail
from .sending import Delivery, Send, ThrottleBucket
from .suppression import Suppression

__all__ = [
    "Delivery",
    "NewsletterIndexPage",
    "NewsletterPage",
    "OutboxEmail",
    "Send",
    "Suppression",
    "ThrottleBucket",
]
