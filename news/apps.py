from __future__ import annotations

from django.apps import AppConfig


class NewsConfig(AppConfig):
    """News articles and their RSS feed."""

    name = "news"
    verbose_name = "Actualités"
