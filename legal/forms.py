"""The legal page's admin form: one page of each kind per site."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from editorial.forms import EditorialPageForm


class LegalPageForm(EditorialPageForm):
    """Refuses a second page of the same kind under the same home page.

    Legal pages live directly under a home page (``parent_page_types``), which is a site's
    root: one kind per parent is one kind per site, the rule the footer relies on.
    """

    def clean(self) -> dict[str, Any]:
        cleaned_data = super().clean()
        kind = cleaned_data.get("kind")
        parent = getattr(self, "parent_page", None)
        if kind and parent is not None:
            siblings = type(self.instance).objects.child_of(parent).filter(kind=kind)
            if self.instance.pk:
                siblings = siblings.exclude(pk=self.instance.pk)
            if siblings.exists():
                self.add_error("kind", _("Ce site a déjà une page légale de ce type."))
        return cleaned_data
