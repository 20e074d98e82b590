"""CSV exports that a spreadsheet cannot run: cells that would start a formula are quoted.

A value such as ``=HYPERLINK(...)`` or ``=cmd|'/Ccalc'!A0@example.org`` (an address that
passes the sign-up) is a formula when the file is opened in a spreadsheet. OWASP's advice:
prefix every cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
with a single quote, which spreadsheets read as "this is text".
"""

from __future__ import annotations

from typing import Any

from wagtail.admin.views.mixins import SpreadsheetExportMixin

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: Any) -> Any:
    """The value to write in a CSV cell: text that would start a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


_wagtail_preprocess = SpreadsheetExportMixin.preprocess_field_value


def _preprocess_field_value(self: Any, field: str, value: Any, export_format: str) -> Any:
    value = _wagtail_preprocess(self, field, value, export_format)
    if export_format == SpreadsheetExportMixin.FORMAT_CSV:
        return neutralise_cell(value)
    # XLSX needs nothing: Wagtail already turns cells openpyxl would read as formulas into text.
    return value


def install() -> None:
    """Route every cell of every Wagtail CSV export through ``neutralise_cell``.

    Wagtail writes its CSV exports (reports, modeladmin and snippet listings, form
    submissions) in ``SpreadsheetExportMixin``, and each value goes through its
    ``preprocess_field_value``. A mixin would cover only the project's own views and leave
    Wagtail's reports (aging pages, site history: page titles) exporting formulas, so the
    one method is wrapped once, at start-up.
    """
    SpreadsheetExportMixin.preprocess_field_value = _preprocess_field_value
