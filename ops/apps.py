from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: health endpoints, start-up checks, structured logs, security policy."""

    name = "ops"
    verbose_name = "Exploitation"

    def ready(self) -> None:
        # Connects the Celery signals that put the task id into every log line, and registers
        # the settings checks.
        from ops import checks, signals  # noqa: F401
