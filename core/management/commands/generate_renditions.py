"""``manage.py generate_renditions``: make every responsive rendition ahead of the first visit."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from wagtail.images import get_image_model

from core.images import PROFILES, generate


class Command(BaseCommand):
    help = (
        "Crée d'avance les déclinaisons (tailles, AVIF, WebP) de chaque image du site, pour que "
        "le premier visiteur d'une page n'attende pas leur fabrication."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--profile",
            action="append",
            choices=sorted(PROFILES),
            help="Seulement ce profil d'image (répétable) ; tous par défaut.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        images = get_image_model().objects.order_by("pk")
        total = images.count()
        for number, image in enumerate(images.iterator(), start=1):
            generate([image], options["profile"])
            self.stderr.write(f"\r{number}/{total} images", ending="")
        self.stderr.write("")
        self.stdout.write(self.style.SUCCESS(f"Déclinaisons prêtes pour {total} image(s)."))
