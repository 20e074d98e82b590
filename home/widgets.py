"""Admin date pickers that never replace what an editor typed.

Wagtail's date pickers (jQuery datetimepicker) check a typed value when the field loses focus,
and when it does not match the picker's format exactly (« 15/01/2027 » without a time in a
date-and-time field, « 5/1/2027 », « 15/01/2027 18h30 »), they put the current date and time in
its place without a word. Here that check is off: the value goes to the server as typed, and
Django reads it with the French input formats or refuses it with a French error message.
"""

from __future__ import annotations

from typing import Any

from django.db import models

from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

#: The picker's options that leave a typed value alone.
KEEP_TYPED_VALUE = {"validateOnBlur": False}


class KeepTypedDateInput(AdminDateInput):
    """Wagtail's date picker, minus the silent replacement of a typed date."""

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), **KEEP_TYPED_VALUE}


class KeepTypedDateTimeInput(AdminDateTimeInput):
    """Wagtail's date-and-time picker, minus the silent replacement of a typed value."""

    def get_config(self) -> dict[str, Any]:
        return {**super().get_config(), **KEEP_TYPED_VALUE}


def use_in_every_admin_form() -> None:
    """Make these the widgets of every date field of every Wagtail admin form (pages, snippets,
    settings), in place of Wagtail's own."""
    register_form_field_override(models.DateField, override={"widget": KeepTypedDateInput})
    register_form_field_override(models.DateTimeField, override={"widget": KeepTypedDateTimeInput})
