from __future__ import annotations

from django.apps import AppConfig


class MembersConfig(AppConfig):
    """The residents' directory."""

    name = "members"
    verbose_name = "Résidents"
