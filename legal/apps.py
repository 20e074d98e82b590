from __future__ import annotations

from django.apps import AppConfig


class LegalConfig(AppConfig):
    """The pages a French site must publish: legal notice, privacy policy, accessibility."""

    name = "legal"
    verbose_name = "Informations légales"
