from __future__ import annotations

from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    """Registrations for events and trainings: seats, waiting list, check-in, registrants' mail."""

    name = "registrations"
    verbose_name = "Inscriptions aux événements"

    def ready(self) -> None:
        # Registers the person export and erasure hooks of subscriptions' admin.
        from . import privacy  # noqa: F401
