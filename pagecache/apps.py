from __future__ import annotations

from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    name = "pagecache"
    verbose_name = "Cache des pages"

    def ready(self) -> None:
        from . import signals

        signals.connect()
