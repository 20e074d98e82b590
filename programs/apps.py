from __future__ import annotations

from django.apps import AppConfig


class ProgramsConfig(AppConfig):
    """Programs, events, partner (CMA) pages and contests."""

    name = "programs"
    verbose_name = "Programmes et événements"
