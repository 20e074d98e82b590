from __future__ import annotations

from django.apps import AppConfig


class MailingConfig(AppConfig):
    """The outbox, the suppression list, address hashing, the throttle and the ESP webhooks."""

    name = "mailing"
    verbose_name = "Courriels"

    def ready(self) -> None:
        from anymail.signals import tracking

        from . import checks  # noqa: F401 - registers the settings checks
        from .receivers import handle_tracking

        tracking.connect(handle_tracking, dispatch_uid="mailing.suppress_on_tracking")
