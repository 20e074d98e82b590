from __future__ import annotations

from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every page app builds on: the base page, shared blocks, image profiles, demo helpers.

    It imports no feature app (only the ops and pagecache infrastructure), so any app may use it.
    """

    name = "core"
    verbose_name = "Socle"

    def ready(self) -> None:
        from . import signal_handlers

        signal_handlers.connect()
