from __future__ import annotations

from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    """Subscribers, topics, the consent ledger, the suppression list and the email outbox."""

    name = "newsletters"
    verbose_name = "Lettres d'information"

    def ready(self) -> None:
        from anymail.signals import tracking

        from .receivers import handle_tracking

        tracking.connect(handle_tracking, dispatch_uid="newsletters.suppress_on_tracking")
        from . import checks  # noqa: F401 - registers the settings checks
