from __future__ import annotations

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    """Topics, subscribers and their double opt-in, the consent ledger and the CSV import."""

    name = "subscriptions"
    verbose_name = "Abonnements"

    def ready(self) -> None:
        from mailing.signals import address_reported

        from .receivers import unsubscribe_reported_address

        # A complaint reported by the sending service unsubscribes the person (mailing, below
        # this app, only suppresses the address and says so).
        address_reported.connect(
            unsubscribe_reported_address,
            dispatch_uid="subscriptions.unsubscribe_reported_address",
        )
