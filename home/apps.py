from __future__ import annotations

from django.apps import AppConfig


class HomeConfig(AppConfig):
    """The top layer: the home page, standard pages, site settings, menus, search, the demo."""

    name = "home"
    verbose_name = "Site"

    def ready(self) -> None:
        # Connects the signal handlers that keep the cached menus fresh.
        from home import navigation  # noqa: F401
        from home.widgets import use_in_every_admin_form

        use_in_every_admin_form()
