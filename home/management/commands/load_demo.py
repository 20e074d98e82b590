"""Build the demo site from the hub's real story. Running it twice changes nothing."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils.translation import gettext as _

from editorial.enforcement import chamber_bypass
from home.demo import load_demo_content
from ops.warmup import warm_up


class Command(BaseCommand):
    help = "Construit le site de démonstration du Carburateur (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        # Wagtail logs every page creation and publication at INFO: one summary line is enough.
        wagtail_logger = logging.getLogger("wagtail")
        previous_level = wagtail_logger.level
        wagtail_logger.setLevel(logging.WARNING)
        try:
            # The demo includes an article published jointly with the CMA: loading it is an
            # operator's act, recorded as a bypass of the chamber's approval.
            with transaction.atomic(), chamber_bypass(_("chargement du contenu de démonstration")):
                report = load_demo_content()
        finally:
            wagtail_logger.setLevel(previous_level)
        if settings.RENDITIONS_AHEAD:
            # Made here rather than by the tasks the demo's uploads and publications queued:
            # the first visitor must find every one, whether a worker runs yet or not.
            call_command(
                "generate_renditions",
                verbosity=options["verbosity"],
                stdout=self.stdout,
                stderr=self.stderr,
            )
        if not isinstance(caches["default"], LocMemCache):
            # One page of each type rendered once, reads only (ops.warmup): the shared cache
            # then holds their fragments for the first visitors. A cache of this process only
            # would end with it.
            warm_up(WSGIHandler())
        self.stdout.write(
            self.style.SUCCESS(
                f"Démo prête : {report.created} élément(s) créé(s), "
                f"{report.existing} déjà présent(s)."
            )
        )
