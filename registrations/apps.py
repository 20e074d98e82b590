from __future__ import annotations

from django.apps import AppConfig


class RegistrationsConfig(AppConfig):
    """Registrations for events and trainings: seats, waiting list, check-in, registrants' mail."""

    name = "registrations"
    verbose_name = "Inscriptions aux événements"
