"""The "Me rappeler de voter" form: the sign-up form's address, consent and honeypot only."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from subscriptions.forms import SignupForm

CONSENT_TEXT = _(
    "J'accepte de recevoir par courriel les rappels de vote de ce concours, jusqu'à sa "
    "clôture. Chaque rappel contient un lien pour ne plus les recevoir."
)


class ReminderForm(SignupForm):
    """No topics and no newsletter wording: the consent is to this contest's reminders."""

    # Django drops a parent's declared field set to None; the stubs cannot express it.
    topics = None  # type: ignore[assignment]
    consent_version = None  # type: ignore[assignment]
    source = None  # type: ignore[assignment]

    def full_clean(self) -> None:
        # Skip SignupForm.full_clean too: on errors it shows the newsletter wording again.
        forms.Form.full_clean(self)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Skip SignupForm.__init__: it sets up the newsletter wording this form does not show.
        forms.Form.__init__(self, *args, **kwargs)
        self.fields["email"].label = _("Votre adresse électronique")
        self.fields["consent"].label = CONSENT_TEXT
        self.fields["consent"].error_messages["required"] = _(
            "Cochez la case : sans votre accord, nous ne pouvons pas vous envoyer de rappel."
        )
