"""``manage.py import_subscribers FILE --source "…"``: the CSV import, with a progress bar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser, OutputWrapper

from subscriptions.importer import ImportAborted, ImportFileError, SubscriberCsvImport


class ProgressBar:
    """A one-line text progress bar, redrawn in place."""

    def __init__(self, stream: OutputWrapper, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self._last = -1

    def __call__(self, phase: str, done: int, total: int) -> None:
        percent = min(100, int(100 * done / total)) if total else 100
        if percent == self._last and done != total:
            return
        self._last = percent
        filled = self.width * percent // 100
        bar = "#" * filled + "." * (self.width - filled)
        label = "Vérification" if phase == "validation" else "Import"
        self.stream.write(f"\r{label:<12} [{bar}] {percent:3d} % {done}/{total}", ending="")
        if done >= total:
            self.stream.write("")
            self._last = -1
        self.stream.flush()


class Command(BaseCommand):
    help = (
        "Importe des abonné·es depuis un fichier CSV (colonnes « email » et « themes »). "
        "Toutes les lignes sont vérifiées d'abord : une seule ligne invalide et rien n'est importé."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--source", required=True, help="Source déclarée du consentement de ces personnes."
        )
        parser.add_argument(
            "--topics",
            default="",
            help="Identifiants de thèmes par défaut, séparés par des virgules.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        defaults = [slug.strip() for slug in options["topics"].split(",") if slug.strip()]
        progress = ProgressBar(self.stderr)
        importer = SubscriberCsvImport(path, options["source"], defaults, progress=progress)
        try:
            importer.count_rows()
            report = importer.validate()
            if not report.is_valid:
                for error in report.errors:
                    self.stderr.write(f"Ligne {error.line} ({error.value}) : {error.reason}")
                hidden = report.error_count - len(report.errors)
                if hidden:
                    self.stderr.write(f"… et {hidden} autres lignes invalides.")
                raise CommandError(
                    f"Rien n'a été importé : {report.error_count} ligne(s) invalide(s) "
                    f"sur {report.rows}."
                )
            result = importer.run()
        except (ImportFileError, ImportAborted) as error:
            raise CommandError(f"Rien n'a été importé : {error}") from error
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.rows} lignes importées : {result.created} nouvelles adresses, "
                f"{result.merged} fusionnées."
            )
        )
