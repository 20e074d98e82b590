"""System checks of this project's settings, run by ``check`` (``--deploy``) and ``preflight``.

Apps register theirs with the ``PREFLIGHT_TAG`` tag so that ``preflight`` runs them too,
without running every deployment check Django has (it does that under ``check --deploy``).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, Warning, register
from django.core.exceptions import ImproperlyConfigured

from ops.site_url import parse_site_url

PREFLIGHT_TAG = "carburateur"


@register(Tags.urls, PREFLIGHT_TAG)
def check_site_url(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """SITE_URL must be an address a Wagtail Site record can hold."""
    try:
        parse_site_url(settings.SITE_URL)
    except ImproperlyConfigured as error:
        return [Error(str(error), id="ops.E001")]
    return []


@register(Tags.security, PREFLIGHT_TAG, deploy=True)
def check_site_url_in_production(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    """In production every link the site sends out says https and the public host."""
    url = settings.SITE_URL
    if url.startswith("http://"):
        return [
            Warning(
                f"SITE_URL est en http ({url}) : les liens des pages, flux et courriels ne "
                "seront pas en https.",
                hint="Donnez l'adresse publique du site, https://…",
                id="ops.W002",
            )
        ]
    return []
