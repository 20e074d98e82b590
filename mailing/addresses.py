"""Email addresses: validation with French messages, normalisation and the keyed hash.

Every part of the app that compares addresses goes through ``normalise_address`` and
``address_hash`` so that "Marie@Café.fr" and "marie@xn--caf-dma.fr" are one person.
"""

from __future__ import annotations

import hashlib
import hmac

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.utils.translation import gettext_lazy as _

MAX_ADDRESS_LENGTH = 254  # RFC 5321 path limit, less the angle brackets.

_validator = EmailValidator(message=_("Saisissez une adresse électronique valide."))
_CONTROL_CHARACTERS = {chr(code) for code in range(32)} | {"\x7f", "\u2028", "\u2029"}


def normalise_address(raw: str) -> str:
    """Return the address as it is stored: trimmed, domain lower-cased and in punycode.

    Raises ``ValidationError`` with a French message for anything that is not one valid
    address of at most 254 characters. The local part keeps its case for display;
    comparisons use ``address_hash``, which ignores case.
    """
    value = raw.strip()
    if any(char in _CONTROL_CHARACTERS for char in value):
        raise ValidationError(
            _("L'adresse ne doit contenir ni retour à la ligne ni caractère de contrôle."),
            code="control_characters",
        )
    if "\ufffd" in value:
        raise ValidationError(
            _("L'adresse contient des caractères illisibles (le texte n'est pas en UTF-8)."),
            code="encoding",
        )
    if "," in value or ";" in value or " " in value:
        raise ValidationError(_("Saisissez une seule adresse électronique."), code="several")
    local, at, domain = value.rpartition("@")
    if not at or not local or not domain:
        raise ValidationError(_("Saisissez une adresse électronique valide."), code="invalid")
    try:
        ascii_domain = domain.encode("idna").decode("ascii").lower()
    except UnicodeError as error:
        raise ValidationError(
            _("Le nom de domaine de l'adresse n'est pas valide."), code="domain"
        ) from error
    address = f"{local}@{ascii_domain}"
    if len(address) > MAX_ADDRESS_LENGTH:
        raise ValidationError(
            _("L'adresse est trop longue : %(max)s caractères au plus."),
            code="too_long",
            params={"max": MAX_ADDRESS_LENGTH},
        )
    _validator(address)
    return address


def address_hash(address: str) -> str:
    """Keyed HMAC-SHA256 of the case-folded address: identifies a person without storing them."""
    key = (settings.NEWSLETTERS_HASH_KEY or f"newsletters:{settings.SECRET_KEY}").encode()
    return hmac.new(key, address.strip().lower().encode(), hashlib.sha256).hexdigest()
