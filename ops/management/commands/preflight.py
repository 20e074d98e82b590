"""``manage.py preflight``: refuse to start when configuration or a service is missing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from ops import health


def configuration_problems() -> list[str]:
    """Settings that load but would leave the site unsafe."""
    problems = []
    secret = getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET")
    if getattr(settings, "NEWSLETTERS_ESP_WEBHOOKS", []) and not secret:
        # Every webhook call would be refused: bounces and complaints would go unrecorded.
        problems.append(
            "webhooks des services d'envoi activés (NEWSLETTERS_ESP_WEBHOOKS) sans "
            "ANYMAIL_WEBHOOK_SECRET"
        )
    return problems


class Command(BaseCommand):
    help = (
        "Vérifie, avant le démarrage, que la base de données, Redis (broker et cache) et le "
        "serveur SMTP répondent."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        # Missing or malformed variables already stopped the production settings from
        # loading, with a message naming each one (config/settings/production.py).
        problems: list[str] = []
        checks: dict[str, health.Check] = {
            "base de données": health.check_database,
            "broker Celery": health.check_broker,
            "cache": health.check_cache,
        }
        if health.uses_smtp():
            checks["serveur SMTP"] = health.check_smtp
        else:
            self.stdout.write("  sans objet : serveur SMTP (EMAIL_URL n'est pas smtp://)")
        for name, error in health.run(checks).items():
            if error:
                problems.append(error)
            else:
                self.stdout.write(f"  ok : {name}")
        problems += configuration_problems()
        if problems:
            self._fail(problems)
        self.stdout.write(self.style.SUCCESS("Prêt à démarrer."))
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("Attention : DEBUG est activé."))

    def _fail(self, problems: list[str]) -> None:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise CommandError(f"Démarrage refusé :\n{lines}")
