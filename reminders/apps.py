from __future__ import annotations

from django.apps import AppConfig


class RemindersConfig(AppConfig):
    """Contest-vote reminders: who follows which contest, the dispatcher and its ledger."""

    name = "reminders"
    verbose_name = "Rappels de vote"
