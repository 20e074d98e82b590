from __future__ import annotations

from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    """Subscribers, topics, the consent ledger, issues and their sending."""

    name = "newsletters"
    verbose_name = "Lettres d'information"

    def ready(self) -> None:
        from mailing.signals import address_reported

        from .receivers import unsubscribe_reported_address

        address_reported.connect(
            unsubscribe_reported_address, dispatch_uid="newsletters.unsubscribe_reported_address"
        )

        # Celery's autodiscovery only imports ``newsletters.tasks``.
        from .reminders import tasks  # noqa: F401
