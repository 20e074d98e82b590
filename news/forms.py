"""The news listing's tag filter: a plain GET parameter, so it works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from taggit.models import Tag


class ArticleFilterForm(forms.Form):
    """Filters the articles by one tag (its slug); an unknown tag is ignored with a message."""

    tag = forms.ModelChoiceField(
        label=_("Mot-clé"),
        queryset=Tag.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les sujets"),
        error_messages={
            "invalid_choice": _("Ce mot-clé est inconnu : toutes les actualités sont affichées.")
        },
    )

    def __init__(self, *args: Any, articles: QuerySet[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        tag_field = self.fields["tag"]
        assert isinstance(tag_field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        # Only the tags some published article of this section carries.
        tag_field.queryset = (
            Tag.objects.filter(news_articlepagetag_items__content_object__in=articles)
            .distinct()
            .order_by("name")
        )

    def valid_filters(self) -> dict[str, Any]:
        """The cleaned values of the fields that validated; invalid ones are left out."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        tag = self.valid_filters().get("tag")
        return queryset.filter(tags=tag) if tag else queryset

    def query_params(self) -> QueryDict:
        """The valid filters as GET parameters, for pagination links (bad values dropped)."""
        params = QueryDict(mutable=True)
        tag = self.valid_filters().get("tag")
        if tag:
            params["tag"] = tag.slug
        return params
