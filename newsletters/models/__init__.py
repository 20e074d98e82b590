"""Models of the newsletters app: the issues and the record of their sends."""

from __future__ import annotations

from .issues import NewsletterIndexPage, NewsletterPage
from .sending import Delivery, Send

__all__ = ["Delivery", "NewsletterIndexPage", "NewsletterPage", "Send"]
