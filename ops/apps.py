from __future__ import annotations

from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the site: health endpoints, start-up checks, structured logs, security policy."""

    name = "ops"
    verbose_name = "Exploitation"

    def ready(self) -> None:
        # Connects the Celery signals that put the task id into every log line, and registers
        # the settings checks.
        from ops import (
            checks,  # noqa: F401
            signals,  # noqa: F401
            spreadsheets,
        )
        from ops.converters import register

        # <id:...> and <revision:...> in the project's URLs; URLconfs load after every ready().
        register()
        # No CSV export may carry a formula (OWASP "CSV injection").
        spreadsheets.install()
