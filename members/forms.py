"""The residents' directory filter form: plain GET parameters, so it works without JavaScript."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from .models import SpaceType, Trade

ARTISAN_YES = "oui"
ARTISAN_NO = "non"


class MemberFilterForm(forms.Form):
    """Filters the directory by trade (its slug), space type and artisan status.

    A value the form does not recognise is dropped with a French message rather than
    failing the page: the directory then shows the residents the valid filters select.
    """

    trade = forms.ModelChoiceField(
        label=_("Métier"),
        queryset=Trade.objects.none(),
        to_field_name="slug",
        required=False,
        empty_label=_("Tous les métiers"),
        error_messages={"invalid_choice": _("Ce métier est inconnu : le filtre a été ignoré.")},
    )
    space = forms.ChoiceField(
        label=_("Espace occupé"),
        choices=[("", _("Tous les espaces")), *SpaceType.choices],
        required=False,
        error_messages={
            "invalid_choice": _("Ce type d'espace est inconnu : le filtre a été ignoré.")
        },
    )
    artisan = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            ("", _("Tous les résidents")),
            (ARTISAN_YES, _("Artisans")),
            (ARTISAN_NO, _("Non artisans")),
        ],
        required=False,
        error_messages={"invalid_choice": _("Ce statut est inconnu : le filtre a été ignoré.")},
    )

    def __init__(self, *args: Any, trades: QuerySet[Trade] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        trade_field = self.fields["trade"]
        assert isinstance(trade_field, forms.ModelChoiceField)  # noqa: S101 - narrows the type
        trade_field.queryset = trades if trades is not None else Trade.objects.all()

    def valid_filters(self) -> dict[str, Any]:
        """The cleaned values of the fields that validated; invalid ones are left out."""
        self.is_valid()
        return {name: value for name, value in self.cleaned_data.items() if value}

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        filters = self.valid_filters()
        if "trade" in filters:
            queryset = queryset.filter(trade=filters["trade"])
        if "space" in filters:
            queryset = queryset.filter(space_type=filters["space"])
        if "artisan" in filters:
            queryset = queryset.filter(is_artisan=filters["artisan"] == ARTISAN_YES)
        return queryset

    def query_params(self) -> QueryDict:
        """The valid filters as GET parameters, for pagination links (bad values dropped)."""
        params = QueryDict(mutable=True)
        for name, value in self.valid_filters().items():
            params[name] = value.slug if isinstance(value, Trade) else str(value)
        return params


def submitted_filters(data: QueryDict) -> str:
    """What was submitted for the filters, as one string, read without building the form:
    the form renders the same for the same submission while the trades offered are the same."""
    return "&".join(f"{name}={data.get(name, '')}" for name in MemberFilterForm.base_fields)
