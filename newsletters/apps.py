from __future__ import annotations

from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    """Newsletter issues (pages) and their sending, exactly once to each subscriber."""

    name = "newsletters"
    verbose_name = "Lettres d'information"
