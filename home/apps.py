from __future__ import annotations

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The home page, generic pages, site settings, navigation, shared blocks and search."""

    name = "home"
    verbose_name = "Site"
