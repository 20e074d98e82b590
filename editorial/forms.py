"""The page edit form: it reports a change only when the content really changed.

Wagtail saves a new revision when a reviewer acts from the editor *and* the form says it
changed (``EditView.perform_workflow_action``). With re-approval on edit, that revision, now
authored by the reviewer, restarts the review for someone else: a reviewer who only read the
page and clicked "Approuver" must therefore never be seen as having changed it.
"""

from __future__ import annotations

import json
import re
from typing import Any

from django import forms

from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.blocks.base import BlockField

# Draftail adds a random key to every block of rich text it writes; the stored text of a page
# written outside the editor (the demo, an import) has none. The keys carry no content.
BLOCK_KEY = re.compile(r'\s+data-block-key=(\\?"|\')[^"\'\\]*\1')


def without_editor_marks(text: str) -> str:
    """Rich text as the reader sees it: no Draftail block keys, white space folded."""
    return " ".join(BLOCK_KEY.sub("", text).split())


def _comparable(field: forms.Field, value: Any) -> str:
    if isinstance(field, BlockField):
        value = json.dumps(field.block.get_prep_value(value), sort_keys=True, default=str)
    return without_editor_marks("" if value is None else str(value))


class EditorialPageForm(WagtailAdminPageForm):
    """Every page's admin form (``JointContentMixin.base_form_class``)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A model field with a callable default (an article's date) gets a form field that
        # compares the posted value with a hidden "initial-…" input, which Wagtail's panels never
        # render: such a field always looked changed. Compare with the page's value instead.
        for field in self.fields.values():
            field.show_hidden_initial = False

    @property
    def content_changes(self) -> list[str]:
        """Names of the fields and inline lists whose content the person really changed."""
        changed = []
        for name in self.changed_data:
            field, initial = self.fields[name], self[name].initial
            comparable = isinstance(field, BlockField) or isinstance(initial, str)
            if comparable and _comparable(field, initial) == _comparable(field, self._posted(name)):
                continue
            changed.append(name)
        changed += [name for name, formset in self.formsets.items() if formset.has_changed()]
        return changed

    def _posted(self, name: str) -> Any:
        field = self.fields[name]
        data = self[name].data
        try:
            return field.clean(data) if isinstance(field, BlockField) else field.to_python(data)
        except forms.ValidationError:
            return data

    def has_changed(self) -> bool:
        return bool(self.content_changes)
