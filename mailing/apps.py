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

        # The uid is the one newsletters used, so a reload never connects it twice.
        tracking.connect(handle_tracking, dispatch_uid="newsletters.suppress_on_tracking")
