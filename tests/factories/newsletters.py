"""Newsletter issues and their archive."""

from __future__ import annotations

import json
from typing import Any

import factory

from newsletters.models import NewsletterIndexPage, NewsletterPage

from .pages import PageFactory, home_page, under_home
from .subscriptions import TopicFactory


def text_block(html: str) -> dict[str, Any]:
    """A text block of an issue's body, in the raw form a StreamField accepts."""
    return {"type": "text", "value": html}


class NewsletterIndexPageFactory(PageFactory):
    class Meta:
        model = NewsletterIndexPage

    parent = factory.LazyFunction(home_page)
    title = "Les lettres"
    slug = "lettres"
    introduction = "Archive."


class NewsletterPageFactory(PageFactory):
    """An issue of the « actualites » topic in the archive (created with it if missing)."""

    class Meta:
        model = NewsletterPage

    class Params:
        blocks = factory.LazyFunction(lambda: [text_block("<p>Bonjour à toutes et à tous.</p>")])

    parent = under_home(NewsletterIndexPageFactory)
    title = "Lettre de mars"
    slug = factory.Sequence(lambda n: f"lettre-{n + 1}")
    subject = "Les nouvelles de mars"
    preheader = "Trois rendez-vous et un concours"
    topic = factory.SubFactory(TopicFactory)
    body = factory.LazyAttribute(lambda issue: json.dumps(issue.blocks))
