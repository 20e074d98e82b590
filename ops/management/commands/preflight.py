"""``manage.py preflight``: refuse to start when configuration or a service is missing."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import run_checks
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from ops import health, site_url
from ops.checks import PREFLIGHT_TAG


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
        # This project's settings checks (SITE_URL, NEWSLETTERS_HASH_KEY, the webhooks'
        # secret…); with DEBUG off, those of a deployment too.
        for message in run_checks(
            include_deployment_checks=not settings.DEBUG, tags=[PREFLIGHT_TAG]
        ):
            if message.is_serious():
                problems.append(str(message.msg))
            else:
                self.stdout.write(self.style.WARNING(f"  attention : {message.msg}"))
        if problems:
            self._fail(problems)
        try:
            if site_url.sync_default_site():
                self.stdout.write(f"  mis à jour : adresse du site Wagtail ({site_url.site_url()})")
            else:
                self.stdout.write(f"  ok : adresse du site ({site_url.site_url()})")
        except DatabaseError:
            # A database not migrated yet (``make serve`` migrates after this): the migration
            # gives the Site record the same address.
            self.stdout.write("  sans objet : adresse du site (la migration l'enregistrera)")
        self.stdout.write(self.style.SUCCESS("Prêt à démarrer."))
        if settings.DEBUG:
            self.stdout.write(self.style.WARNING("Attention : DEBUG est activé."))

    def _fail(self, problems: list[str]) -> None:
        lines = "\n".join(f"  - {problem}" for problem in problems)
        raise CommandError(f"Démarrage refusé :\n{lines}")
