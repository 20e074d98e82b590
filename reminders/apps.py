from __future__ import annotations

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Reminders: contest votes (who follows which contest) and registered events, one
    dispatcher and its ledgers."""

    name = "reminders"
    verbose_name = "Rappels"

    def ready(self) -> None:
        from . import receivers  # noqa: F401 - connects the signal receivers
