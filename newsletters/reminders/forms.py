"""The "Me rappeler de voter" form: an address, consent, and the honeypot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ..addresses import normalise_address
from ..forms import SignupForm, reject_unreadable_bytes

CONSENT_TEXT = _(
    "J'accepte de recevoir par courriel les rappels de vote de ce concours, jusqu'à sa "
    "clôture. Chaque rappel contient un lien pour ne plus les recevoir."
)


class ReminderForm(forms.Form):
    email = forms.CharField(
        label=_("Votre adresse électronique"),
        max_length=1000,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Indiquez votre adresse électronique.")},
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={
            "required": _(
                "Cochez la case : sans votre accord, nous ne pouvons pas vous envoyer de rappel."
            )
        },
    )
    website = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    clean_website = SignupForm.clean_website

    def clean_email(self) -> str:
        return normalise_address(self.cleaned_data["email"])

    def clean(self) -> dict[str, Any]:
        reject_unreadable_bytes(self)
        return super().clean() or {}
