from __future__ import annotations

from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    """Topics, subscribers and their double opt-in, the consent ledger and the CSV import."""

    name = "subscriptions"
    verbose_name = "Abonnements"
