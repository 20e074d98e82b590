"""The registration form of an event: who, the organiser's questions, consent, honeypot."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from programs.models import EventPage
from subscriptions.forms import SignupForm

CONSENT_TEXT = _(
    "J'accepte que Le Carburateur conserve mon nom, mon adresse électronique, mon téléphone "
    "et mes réponses pour gérer mon inscription à cet événement (courriels d'inscription, "
    "rappel, liste d'émargement). Ces données sont anonymisées quelques mois après "
    "l'événement."
)
YES, NO = "oui", "non"


def question_field_name(block_id: str) -> str:
    return f"question-{block_id}"


def _question_field(block_type: str, value: Any) -> forms.Field:
    required = bool(value.get("required"))
    options: dict[str, Any] = {
        "label": value.get("label"),
        "required": required,
        "help_text": value.get("help_text") or "",
        "error_messages": {
            "required": _("Répondez à cette question : elle est obligatoire."),
            "invalid_choice": _("Choisissez une réponse dans la liste proposée."),
        },
    }
    if block_type == "choice":
        choices = [(choice, choice) for choice in value.get("choices") or []]
        return forms.ChoiceField(
            choices=[("", _("Choisissez…")), *choices] if not required else choices,
            widget=forms.RadioSelect if required else forms.Select,
            **options,
        )
    if block_type == "yes_no":
        return forms.ChoiceField(
            choices=[(YES, _("Oui")), (NO, _("Non"))], widget=forms.RadioSelect, **options
        )
    return forms.CharField(max_length=300, **options)


class RegistrationForm(SignupForm):
    """The sign-up form's address, consent checkbox and honeypot, with who comes and the
    organiser's questions (one field ``question-<block id>`` each)."""

    # Django drops a parent's declared field set to None; the stubs cannot express it.
    topics = None  # type: ignore[assignment]
    consent_version = None  # type: ignore[assignment]
    source = None  # type: ignore[assignment]

    name = forms.CharField(
        label=_("Prénom et nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        error_messages={"required": _("Indiquez votre nom.")},
    )
    phone = forms.CharField(
        label=_("Téléphone (facultatif)"),
        max_length=30,
        required=False,
        help_text=_("Pour vous prévenir d'un changement de dernière minute."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={"max_length": _("Ce numéro est trop long : 30 caractères au plus.")},
    )

    field_order = ["name", "email", "phone"]

    def __init__(self, event: EventPage, *args: Any, **kwargs: Any) -> None:
        # Skip SignupForm.__init__: it sets up the newsletter wording this form does not show.
        forms.Form.__init__(self, *args, **kwargs)
        self.event = event
        self.fields["email"].label = _("Adresse électronique")
        self.fields["consent"].label = CONSENT_TEXT
        self.fields["consent"].error_messages["required"] = _(
            "Cochez la case : sans votre accord, nous ne pouvons pas enregistrer votre inscription."
        )
        self.questions: list[tuple[str, str, str]] = []  # (field name, block id, label)
        for block in event.registration_questions:
            name = question_field_name(block.id)
            self.fields[name] = _question_field(block.block_type, block.value)
            self.questions.append((name, block.id, str(block.value.get("label"))))
        # The honeypot and the consent last, whatever the questions.
        self.order_fields(["name", "email", "phone", *[q[0] for q in self.questions]])

    def full_clean(self) -> None:
        # Skip SignupForm.full_clean too: on errors it shows the newsletter wording again.
        forms.Form.full_clean(self)

    def clean_name(self) -> str:
        return " ".join(self.cleaned_data["name"].split())

    def answers(self) -> list[dict[str, str]]:
        """The answers as stored: the question's id and label at the time, and the answer."""
        return [
            {"id": block_id, "label": label, "answer": self.cleaned_data.get(name) or ""}
            for name, block_id, label in self.questions
        ]

    def question_fields(self) -> list[forms.BoundField]:
        return [self[name] for name, _block_id, _label in self.questions]
