from __future__ import annotations

from django.apps import AppConfig


class EditorialConfig(AppConfig):
    """Roles, groups, permissions, workflows and their tasks, and their enforcement."""

    name = "editorial"
    verbose_name = "Chaîne éditoriale"

    def ready(self) -> None:
        from . import enforcement, signal_handlers

        enforcement.connect()
        signal_handlers.connect()
