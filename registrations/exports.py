"""An event's registrations as a table: on the organisers' screen, in CSV and in XLSX.

The spreadsheets go through Wagtail's ``SpreadsheetExportMixin``, whose CSV cells
``ops.spreadsheets`` already neutralises (a cell starting with = + - @ tab or CR cannot run as
a formula) and whose XLSX cells are written as text; the headings (the organiser's question
labels) are neutralised here, since Wagtail writes them as they are.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from wagtail.admin.views.mixins import SpreadsheetExportMixin

from ops.spreadsheets import neutralise_cell
from programs.models import EventPage

from .models import Registration

#: A UTF-8 byte order mark, so that a spreadsheet opened by a double click reads the accents.
BOM = "\ufeff"


@dataclass(frozen=True)
class Question:
    id: str
    label: str


def questions_of(event: EventPage, registrations: Iterable[Registration]) -> list[Question]:
    """The event's questions, then any question since removed that someone had answered."""
    questions = [
        Question(str(child.id), str(child.value.get("label", "")))
        for child in event.registration_questions
    ]
    known = {question.id for question in questions}
    for registration in registrations:
        for answer in registration.answers or ():
            answer_id = str(answer.get("id", ""))
            if answer_id and answer_id not in known:
                known.add(answer_id)
                questions.append(Question(answer_id, str(answer.get("label", ""))))
    return questions


def answer_text(value: Any) -> str:
    if value is True:
        return gettext("oui")
    if value is False:
        return gettext("non")
    return "" if value is None else str(value)


def answers_in_order(registration: Registration, questions: Sequence[Question]) -> list[str]:
    """The person's answers, one per question (empty where they gave none)."""
    given = {str(answer.get("id")): answer.get("answer") for answer in registration.answers or ()}
    return [answer_text(given.get(question.id)) for question in questions]


def _when(value: Any) -> str:
    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M") if value else ""


class RegistrationSheet(SpreadsheetExportMixin):
    """One row per registration (anonymised ones left out: they name nobody)."""

    FIXED = (
        ("name", _("Nom")),
        ("email", _("Courriel")),
        ("phone", _("Téléphone")),
        ("status", _("État")),
        ("created_at", _("Inscrit·e le")),
        ("checked_in_at", _("Présence notée le")),
    )

    def __init__(self, event: EventPage, registrations: Sequence[Registration]) -> None:
        self.event = event
        self.registrations = registrations
        self.questions = questions_of(event, registrations)
        self.list_export = [key for key, _ in self.FIXED] + [
            f"question-{index}" for index, _ in enumerate(self.questions)
        ]
        self.export_headings = {
            **{key: str(label) for key, label in self.FIXED},
            **{
                f"question-{index}": question.label for index, question in enumerate(self.questions)
            },
        }

    def get_filename(self) -> str:
        return f"inscriptions-{slugify(self.event.title)[:60]}-{self.event.pk}"

    def get_heading(self, queryset: Any, field: str) -> str:
        return str(neutralise_cell(self.export_headings[field]))

    def to_row_dict(self, item: Registration) -> dict[str, Any]:
        row: dict[str, Any] = {
            "name": item.name,
            "email": item.email,
            "phone": item.phone,
            "status": str(item.get_status_display()),
            "created_at": _when(item.created_at),
            "checked_in_at": _when(item.checked_in_at),
        }
        for index, answer in enumerate(answers_in_order(item, self.questions)):
            row[f"question-{index}"] = answer
        return row

    def stream_csv(self, queryset: Any) -> Iterator[str]:
        yield BOM
        yield from super().stream_csv(queryset)

    def response(self, export_format: str) -> HttpResponse:
        return self.as_spreadsheet(self.registrations, export_format)


def exported_registrations(event: EventPage) -> list[Registration]:
    """Who goes in the export and on the screen: everyone not anonymised, by state then name."""
    registrations = Registration.objects.filter(
        event=event, anonymised_at__isnull=True
    ).select_related("checked_in_by")
    return sorted(registrations, key=_listing_order)


_STATE_ORDER = {"confirmed": 0, "waiting": 1, "cancelled": 2}


def _listing_order(registration: Registration) -> tuple[int, float, str, int]:
    """Confirmed by name, then the waiting list in its order, then the cancelled by name."""
    since = registration.waiting_since if registration.status == "waiting" else None
    return (
        _STATE_ORDER.get(registration.status, 3),
        since.timestamp() if since else 0.0,
        registration.name.casefold(),
        registration.pk,
    )
