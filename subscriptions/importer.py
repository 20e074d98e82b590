"""CSV import of existing subscribers: validate every row, then import all or nothing.

The file is read twice, as a stream, in batches of ``BATCH_SIZE`` rows: once to validate
(nothing is written), and, only if no row is invalid, once more inside a single transaction
to import. Memory stays bounded whatever the file's length: one batch of rows and at most
``MAX_STORED_ERRORS`` error descriptions are held at a time.

Expected columns (first line): ``email`` (or ``courriel``/``adresse``), optionally ``themes``
(topic identifiers or names separated by ``|``, ``,`` or ``;``). Comma or semicolon
delimited, UTF-8.
"""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from mailing.addresses import address_hash, normalise_address
from mailing.models import Suppression
from ops.queueing import queue

from .models import ConsentEvent, Subscriber, SubscriberImport, Topic
from .models.imports import MAX_STORED_ERRORS

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
EMAIL_COLUMNS = ("email", "e-mail", "courriel", "adresse", "adresse électronique")
TOPIC_COLUMNS = ("themes", "thèmes", "topics", "theme", "thème")
_TOPIC_SEPARATORS = re.compile(r"[|,;]")

ProgressCallback = Callable[[str, int, int], None]


# What an import's error list shows in place of an erased person's address.
ERASED_ADDRESS = "[adresse effacée]"


class ImportFileError(Exception):
    """The file as a whole cannot be read (encoding, missing column, broken CSV)."""


class ImportAborted(Exception):
    """Something changed between validation and import; the transaction is rolled back."""


@dataclass(frozen=True)
class RowError:
    line: int
    value: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "value": self.value, "reason": self.reason}


@dataclass(frozen=True)
class ParsedRow:
    line: int
    address: str
    email_hash: str
    topics: frozenset[str]


@dataclass
class ValidationReport:
    rows: int = 0
    error_count: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return self.error_count == 0

    def add(self, error: RowError) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_STORED_ERRORS:
            self.errors.append(error)


@dataclass
class ImportResult:
    rows: int = 0
    created: int = 0
    merged: int = 0


class SubscriberCsvImport:
    """One CSV file to import with a declared consent source."""

    def __init__(
        self,
        path: Path,
        consent_source: str,
        default_topics: Sequence[str] = (),
        progress: ProgressCallback | None = None,
    ) -> None:
        self.path = Path(path)
        self.consent_source = consent_source.strip()
        self.default_topics = frozenset(default_topics)
        self.progress = progress or (lambda phase, done, total: None)
        self._topic_lookup: dict[str, str] | None = None
        self.total = 0

    # --- Reading -------------------------------------------------------------------------

    def count_rows(self) -> int:
        """Data rows in the file (lines, less the header), for progress reporting."""
        lines = 0
        last = b"\n"
        with self.path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                lines += chunk.count(b"\n")
                last = chunk[-1:]
        if last != b"\n":
            lines += 1
        self.total = max(lines - 1, 0)
        return self.total

    def _rows(self) -> Iterator[tuple[int, str, str]]:
        """Yield (line number, raw address, raw topics) for every non-blank row."""
        line = 1
        try:
            with self.path.open(newline="", encoding="utf-8-sig") as handle:
                sample = handle.read(8192)
                handle.seek(0)
                try:
                    dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(
                        sample, delimiters=",;"
                    )
                except csv.Error:
                    dialect = csv.excel
                reader = csv.reader(handle, dialect)
                header = [name.strip().lower() for name in next(reader, [])]
                email_index = _column(header, EMAIL_COLUMNS)
                if email_index is None:
                    raise ImportFileError(
                        "La première ligne doit nommer les colonnes, dont une colonne « email »."
                    )
                topics_index = _column(header, TOPIC_COLUMNS)
                for row in reader:
                    line = reader.line_num
                    if not any(cell.strip() for cell in row):
                        continue
                    address = row[email_index] if email_index < len(row) else ""
                    topics = (
                        row[topics_index]
                        if topics_index is not None and topics_index < len(row)
                        else ""
                    )
                    yield line, address, topics
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"Le fichier n'est pas encodé en UTF-8 (vers la ligne {line + 1}). "
                "Enregistrez-le en « CSV UTF-8 » et recommencez."
            ) from error
        except csv.Error as error:
            raise ImportFileError(f"CSV illisible vers la ligne {line + 1} : {error}") from error

    def _topics(self) -> dict[str, str]:
        """Topic slugs and lower-cased names, mapped to slugs."""
        if self._topic_lookup is None:
            self._topic_lookup = {}
            for slug, name in Topic.objects.values_list("slug", "name"):
                self._topic_lookup[slug.lower()] = slug
                self._topic_lookup[name.strip().lower()] = slug
        return self._topic_lookup

    def _parse(self, line: int, raw_address: str, raw_topics: str) -> ParsedRow | RowError:
        shown = raw_address.strip()[:100]
        if not raw_address.strip():
            return RowError(line, "", "adresse manquante")
        try:
            address = normalise_address(raw_address)
        except ValidationError as error:
            return RowError(line, shown, " ".join(str(m) for m in error.messages))
        names = [part.strip() for part in _TOPIC_SEPARATORS.split(raw_topics) if part.strip()]
        lookup = self._topics()
        unknown = [name for name in names if name.lower() not in lookup]
        if unknown:
            return RowError(line, shown, f"thème inconnu : {', '.join(unknown)}")
        topics = frozenset(lookup[name.lower()] for name in names) or self.default_topics
        if not topics:
            return RowError(
                line,
                shown,
                "aucun thème : remplissez la colonne « themes » ou choisissez des thèmes "
                "par défaut",
            )
        return ParsedRow(line, address, address_hash(address), topics)

    def _batches(self, report: ValidationReport) -> Iterator[list[ParsedRow]]:
        """Parsed rows in batches; invalid rows (and suppressed addresses) go to ``report``."""
        batch: list[ParsedRow] = []
        for line, raw_address, raw_topics in self._rows():
            report.rows += 1
            parsed = self._parse(line, raw_address, raw_topics)
            if isinstance(parsed, RowError):
                report.add(parsed)
            else:
                batch.append(parsed)
            if len(batch) >= BATCH_SIZE:
                yield self._without_suppressed(batch, report)
                batch = []
        if batch:
            yield self._without_suppressed(batch, report)

    @staticmethod
    def _without_suppressed(batch: list[ParsedRow], report: ValidationReport) -> list[ParsedRow]:
        suppressed = dict(
            Suppression.objects.filter(
                address_hash__in={row.email_hash for row in batch}
            ).values_list("address_hash", "reason")
        )
        for row in batch:
            if row.email_hash in suppressed:
                erased = suppressed[row.email_hash] == Suppression.Reason.ERASED
                report.add(
                    RowError(
                        row.line,
                        # The import's error list is kept: it must not bring the address back.
                        ERASED_ADDRESS if erased else row.address,
                        "adresse désinscrite ou effacée : seule la personne peut se réinscrire, "
                        "par le formulaire et sa double confirmation",
                    )
                )
        return [row for row in batch if row.email_hash not in suppressed]

    # --- The two passes -------------------------------------------------------------------

    def validate(self) -> ValidationReport:
        """Read every row and report every invalid one; writes nothing."""
        if not self.consent_source:
            raise ImportFileError("Indiquez la source du consentement de ces personnes.")
        report = ValidationReport()
        for _batch in self._batches(report):
            self.progress("validation", report.rows, self.total)
        self.progress("validation", report.rows, self.total)
        return report

    def run(self) -> ImportResult:
        """Import every row in one transaction; call only after a clean ``validate``."""
        result = ImportResult()
        report = ValidationReport()
        with transaction.atomic():
            for batch in self._batches(report):
                if not report.is_valid:
                    raise ImportAborted(
                        "Le fichier ou la liste de blocage a changé depuis la vérification ; "
                        "rien n'a été importé."
                    )
                self._import_batch(batch, result)
                result.rows = report.rows
                self.progress("import", report.rows, self.total)
            if not report.is_valid:
                raise ImportAborted("Des lignes sont devenues invalides ; rien n'a été importé.")
        result.rows = report.rows
        return result

    def _import_batch(self, batch: list[ParsedRow], result: ImportResult) -> None:
        # Merge duplicates inside the batch: one subscriber, the union of the topics.
        merged: dict[str, tuple[str, set[str]]] = {}
        for row in batch:
            _address, topics = merged.setdefault(row.email_hash, (row.address, set()))
            topics |= row.topics
        now = timezone.now()
        source = f"import : {self.consent_source}"[:255]
        existing = {
            subscriber.email_hash: subscriber
            for subscriber in Subscriber.objects.filter(email_hash__in=merged.keys())
        }
        new = [
            Subscriber(
                email=address,
                email_hash=email_hash,
                status=Subscriber.Status.CONFIRMED,
                source=source,
                confirmed_at=now,
            )
            for email_hash, (address, _topics) in merged.items()
            if email_hash not in existing
        ]
        Subscriber.objects.bulk_create(new, batch_size=BATCH_SIZE)
        if any(s.status == Subscriber.Status.UNSUBSCRIBED for s in existing.values()):
            raise ImportAborted("Une adresse s'est désinscrite pendant l'import ; rien n'a changé.")
        pending = [s.pk for s in existing.values() if s.status == Subscriber.Status.PENDING]
        Subscriber.objects.filter(pk__in=pending).update(
            status=Subscriber.Status.CONFIRMED, confirmed_at=now
        )
        by_hash = {**existing, **{s.email_hash: s for s in new}}
        topic_ids = dict(Topic.objects.values_list("slug", "pk"))
        through = Subscriber.topics.through
        through.objects.bulk_create(
            [
                through(subscriber_id=by_hash[email_hash].pk, topic_id=topic_ids[slug])
                for email_hash, (_address, topics) in merged.items()
                for slug in topics
            ],
            ignore_conflicts=True,
            batch_size=BATCH_SIZE,
        )
        ConsentEvent.objects.bulk_create(
            [
                ConsentEvent(
                    kind=ConsentEvent.Kind.IMPORT,
                    address_hash=email_hash,
                    topics=sorted(topics),
                    source=source,
                )
                for email_hash, (_address, topics) in merged.items()
            ],
            batch_size=BATCH_SIZE,
        )
        result.created += len(new)
        result.merged += len(batch) - len(new)


def _column(header: list[str], names: Sequence[str]) -> int | None:
    for index, name in enumerate(header):
        if name in names:
            return index
    return None


# --- Running a stored import (the admin's upload, in a Celery task) ----------------------


def _same_person(value: str, email_hash: str) -> bool:
    # An address the import refused is still compared as written.
    with suppress(ValidationError):
        value = normalise_address(value)
    return address_hash(value) == email_hash


def scrub_erased_address(email_hash: str) -> int:
    """Replace the address of an erased person in every import's stored error list.

    Returns how many imports were changed. Called by the erasure, in its transaction.
    """
    changed = 0
    records = SubscriberImport.objects.select_for_update().filter(error_count__gt=0)
    for record in records.only("pk", "errors"):
        errors = record.errors or []
        scrubbed = [
            {**error, "value": ERASED_ADDRESS}
            if error.get("value") and _same_person(str(error["value"]), email_hash)
            else error
            for error in errors
        ]
        if scrubbed != errors:
            SubscriberImport.objects.filter(pk=record.pk).update(errors=scrubbed)
            changed += 1
    return changed


def progress_cache_key(import_id: int) -> str:
    return f"newsletters:import:{import_id}:progress"


def requeue_stalled_imports(older_than: timedelta = timedelta(minutes=2)) -> int:
    """Queue again the imports still waiting: their first task was lost with the broker.

    Returns how many were queued; a broker still down is logged and tried on the next round.
    """
    from .tasks import import_subscribers

    stalled = SubscriberImport.objects.filter(
        status=SubscriberImport.Status.QUEUED, created_at__lt=timezone.now() - older_than
    ).values_list("pk", flat=True)
    return sum(queue(import_subscribers, import_id) for import_id in stalled)


def run_stored_import(import_id: int) -> None:
    """Validate then import one uploaded file; safe to call twice (the second does nothing).

    Progress of the validation pass is written to the import row. The import pass runs in one
    transaction, whose writes others cannot see until it commits, so its progress goes to the
    cache (Redis when configured) where the admin's status page reads it.
    """
    claimed = SubscriberImport.objects.filter(
        pk=import_id, status=SubscriberImport.Status.QUEUED
    ).update(status=SubscriberImport.Status.VALIDATING)
    if not claimed:
        return
    record = SubscriberImport.objects.get(pk=import_id)
    path = Path(record.stored_path)
    records = SubscriberImport.objects.filter(pk=import_id)

    def progress(phase: str, done: int, total: int) -> None:
        if phase == "validation":
            records.update(processed_rows=done)
        else:
            cache.set(progress_cache_key(import_id), done, timeout=3600)

    importer = SubscriberCsvImport(
        path, record.consent_source, record.default_topics, progress=progress
    )
    try:
        records.update(total_rows=importer.count_rows())
        report = importer.validate()
        if not report.is_valid:
            records.update(
                status=SubscriberImport.Status.INVALID,
                error_count=report.error_count,
                errors=[error.as_dict() for error in report.errors],
                finished_at=timezone.now(),
            )
            return
        records.update(status=SubscriberImport.Status.IMPORTING, processed_rows=0)
        result = importer.run()
        records.update(
            status=SubscriberImport.Status.DONE,
            processed_rows=result.rows,
            created_count=result.created,
            merged_count=result.merged,
            finished_at=timezone.now(),
        )
    except (ImportFileError, ImportAborted) as error:
        records.update(
            status=SubscriberImport.Status.INVALID, message=str(error), finished_at=timezone.now()
        )
    except Exception:
        logger.exception("Import d'abonné·es %s en échec", import_id)
        records.update(
            status=SubscriberImport.Status.FAILED,
            message="Erreur inattendue : rien n'a été importé. L'équipe technique est prévenue.",
            finished_at=timezone.now(),
        )
    finally:
        cache.delete(progress_cache_key(import_id))
        path.unlink(missing_ok=True)
