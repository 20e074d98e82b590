"""Public forms: sign-up and preferences. Every message a visitor reads is French."""

from __future__ import annotations

import re
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from mailing.addresses import normalise_address
from pagecache import memo, model_tag

from .models import ConsentWording, Topic

DEFAULT_SOURCE = "/newsletter/"
_SOURCE_PATTERN = re.compile(r"^/[\w\-./~%]{0,200}$")

_TOPIC_ERRORS = {
    "required": _("Choisissez au moins un thème."),
    "invalid_choice": _("Ce thème n'existe pas ou n'est plus proposé : %(value)s."),
    "invalid_list": _("Choisissez les thèmes dans la liste proposée."),
    "invalid_pk_value": _("« %(pk)s » n'est pas un thème proposé."),
}


def topic_field(
    field_class: type[forms.ModelMultipleChoiceField] = forms.ModelMultipleChoiceField,
    **kwargs: Any,
) -> forms.ModelMultipleChoiceField:
    return field_class(
        queryset=Topic.objects.filter(is_active=True),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        label=_("Thèmes qui vous intéressent"),
        error_messages=_TOPIC_ERRORS,
        **kwargs,
    )


def signup_validation_choices() -> tuple[dict[str, Topic], dict[int, ConsentWording]]:
    """The active topics by slug (in their order) and every consent wording by version.

    A sign-up is checked against them on every POST: kept in the cache until a topic or a
    wording changes (as ``signup_form_choices``), they cost no query.
    """
    return memo(
        "newsletters:signup-validation",
        [model_tag(ConsentWording), model_tag(Topic)],
        lambda: (
            {topic.slug: topic for topic in Topic.objects.filter(is_active=True)},
            {wording.version: wording for wording in ConsentWording.objects.all()},
        ),
    )


class CachedTopicsField(forms.ModelMultipleChoiceField):
    """``topic_field`` whose submitted slugs are checked against the cached active topics
    (``signup_validation_choices``) instead of a query: the same checks, errors and order."""

    def _check_values(self, value: Any) -> list[Topic]:
        try:
            slugs = frozenset(value)
        except TypeError:
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            ) from None
        for slug in slugs:
            self.validate_no_null_characters(slug)
        active, _wordings = signup_validation_choices()
        for slug in slugs:
            if str(slug) not in active:
                raise ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": slug},
                )
        return [topic for topic_slug, topic in active.items() if topic_slug in slugs]


def reject_unreadable_bytes(form: forms.Form) -> None:
    """Reject any submitted value that contained bytes which are not UTF-8.

    Django decodes the body with errors="replace", so such bytes arrive as U+FFFD.
    """
    data = cast(QueryDict, form.data)  # a form bound to request.POST
    for name in data:
        if name in form.errors:
            continue
        if any("\ufffd" in value for value in data.getlist(name)):
            form.add_error(
                name if name in form.fields else None,
                _(
                    "Votre envoi contient des caractères illisibles : le texte doit être "
                    "encodé en UTF-8."
                ),
            )


def signup_form_choices() -> tuple[ConsentWording | None, list[tuple[str, str]]]:
    """The current consent wording and the topics offered, as an empty form shows them.

    Every public page shows the form, so they are kept in the cache until a topic or a
    wording changes. A submitted form is still validated against the database.
    """
    return memo(
        "newsletters:signup-choices",
        [model_tag(ConsentWording), model_tag(Topic)],
        lambda: (
            ConsentWording.current(),
            [(topic.slug, topic.name) for topic in Topic.objects.filter(is_active=True)],
        ),
    )


class ConsentCheckbox(forms.CheckboxInput):
    """A checkbox that reads as ticked only when the browser sends its own value.

    Django's CheckboxInput counts any value but "false" as ticked, so a forged ``consent=off``
    or ``consent=0`` would be stored as consent. A ticked box with no ``value`` attribute
    sends "on" (HTML); anything else is no consent.
    """

    checked_value = "on"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> bool:
        return data.get(name) == self.checked_value


class SignupForm(forms.Form):
    """Email, topics, versioned consent, and a honeypot that people never see."""

    email = forms.CharField(
        label=_("Adresse électronique"),
        max_length=1000,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={"required": _("Indiquez votre adresse électronique.")},
    )
    topics = topic_field(CachedTopicsField)
    consent = forms.BooleanField(
        widget=ConsentCheckbox,
        error_messages={
            "required": _(
                "Cochez la case de consentement : sans votre accord, nous ne pouvons pas "
                "vous inscrire."
            )
        },
    )
    consent_version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={
            "required": _("Le texte de consentement manque : rechargez la page."),
            "invalid": _("Le texte de consentement manque : rechargez la page."),
        },
    )
    source = forms.CharField(widget=forms.HiddenInput, required=False, max_length=255)
    # The honeypot: hidden from people by CSS and from assistive technology by aria-hidden,
    # but robots that fill in every field fill it in.
    website = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args: Any, cached_choices: bool = False, **kwargs: Any) -> None:
        """``cached_choices`` renders an empty form from ``signup_form_choices`` (no query).

        A submitted form looks the current wording up only if it goes back to the visitor
        with errors (``full_clean``): a valid sign-up never shows it.
        """
        super().__init__(*args, **kwargs)
        self.wording: ConsentWording | None = None
        if cached_choices:
            wording, topics = signup_form_choices()
            self.fields["topics"].widget.choices = topics
            self.show_wording(wording)
        elif not self.is_bound:
            self.show_wording(ConsentWording.current())

    def show_wording(self, wording: ConsentWording | None) -> None:
        """Label the consent checkbox with ``wording`` and send its version with the form."""
        self.wording = wording
        if wording is not None:
            self.fields["consent"].label = wording.text
            # Once cleaned, the form has made its bound field, which copied the label.
            self["consent"].label = wording.text
            self.fields["consent_version"].initial = wording.version

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.errors:
            self.show_wording(ConsentWording.current())

    def clean_email(self) -> str:
        return normalise_address(self.cleaned_data["email"])

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise ValidationError(
                _(
                    "Ce formulaire semble avoir été rempli par un robot : laissez vide le champ "
                    "« Ne remplissez pas ce champ »."
                )
            )
        return ""

    def clean_consent_version(self) -> ConsentWording:
        _topics, wordings = signup_validation_choices()
        wording = wordings.get(self.cleaned_data["consent_version"])
        if wording is None:
            raise ValidationError(
                _("Le texte de consentement a changé : relisez-le et envoyez à nouveau.")
            )
        return wording

    def clean_source(self) -> str:
        source = self.cleaned_data.get("source") or DEFAULT_SOURCE
        # A path of this site only: "//evil.example/x" matches the pattern but names a host.
        same_site = url_has_allowed_host_and_scheme(source, allowed_hosts=None)
        return source if same_site and _SOURCE_PATTERN.match(source) else DEFAULT_SOURCE

    def clean(self) -> dict[str, Any]:
        reject_unreadable_bytes(self)
        return super().clean() or {}


class PreferencesForm(forms.Form):
    topics = topic_field()

    def clean(self) -> dict[str, Any]:
        reject_unreadable_bytes(self)
        return super().clean() or {}
