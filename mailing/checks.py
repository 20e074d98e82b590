"""Checks of the mailing settings, run by ``check --deploy`` and ``preflight``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

from ops.checks import PREFLIGHT_TAG


@register(Tags.security, PREFLIGHT_TAG, deploy=True)
def check_hash_key(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """The suppression list must outlive a rotation of SECRET_KEY: its key is its own."""
    if not settings.NEWSLETTERS_HASH_KEY:
        return [
            Error(
                "NEWSLETTERS_HASH_KEY n'est pas défini : les empreintes des adresses (liste "
                "d'exclusion, registre des consentements) dépendent alors de SECRET_KEY, et "
                "changer celle-ci rendrait de nouveau joignables les personnes désinscrites "
                "ou effacées.",
                hint="Définissez une clé longue et aléatoire, et ne la changez jamais.",
                id="newsletters.E001",
            )
        ]
    if settings.NEWSLETTERS_HASH_KEY == settings.SECRET_KEY:
        return [
            Error(
                "NEWSLETTERS_HASH_KEY est identique à SECRET_KEY : elle doit en être distincte.",
                id="newsletters.E002",
            )
        ]
    return []


@register(Tags.security, PREFLIGHT_TAG)
def check_webhook_secret(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """Webhooks routed without their secret would refuse every call (mailing.webhooks)."""
    secret = getattr(settings, "ANYMAIL", {}).get("WEBHOOK_SECRET")
    if getattr(settings, "NEWSLETTERS_ESP_WEBHOOKS", []) and not secret:
        return [
            Error(
                "webhooks des services d'envoi activés (NEWSLETTERS_ESP_WEBHOOKS) sans "
                "ANYMAIL_WEBHOOK_SECRET : chaque appel serait refusé, et les rebonds et "
                "plaintes ne seraient plus enregistrés.",
                hint="Définissez ANYMAIL_WEBHOOK_SECRET (utilisateur:mot de passe).",
                id="mailing.E003",
            )
        ]
    return []
