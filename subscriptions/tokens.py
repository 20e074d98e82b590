"""Signed links: the confirmation link (expires after 7 days) and the personal link.

The personal link (preferences and one-click unsubscribe) does not expire: it is printed in
every email, and an old newsletter must still let its reader unsubscribe. Erasing a
subscriber deletes the row it points at, which kills the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from uuid import UUID

from django.core import signing

CONFIRMATION_MAX_AGE = timedelta(days=7)
# The salts keep the names they had in newsletters: links already emailed must still work.
_CONFIRM_SALT = "newsletters.confirm"
_PERSONAL_SALT = "newsletters.personal"


class InvalidToken(Exception):
    """The link was forged, altered or truncated."""


class ExpiredToken(Exception):
    """The link was genuine but is older than it may be."""


@dataclass(frozen=True)
class ConfirmationRequest:
    subscriber_id: UUID
    event_id: int


def sign_expiring(payload: dict[str, Any], salt: str) -> str:
    """Sign ``payload`` for a confirmation link of any kind (``salt`` names the kind)."""
    return signing.TimestampSigner(salt=salt).sign_object(payload)


def read_expiring(token: str, salt: str, *fields: str) -> dict[str, Any]:
    """The payload of a link signed by ``sign_expiring``, checked to hold ``fields``.

    Raises ExpiredToken after ``CONFIRMATION_MAX_AGE``, InvalidToken if forged or altered.
    """
    try:
        payload = signing.TimestampSigner(salt=salt).unsign_object(
            token, max_age=CONFIRMATION_MAX_AGE
        )
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except signing.BadSignature as error:
        raise InvalidToken from error
    if not isinstance(payload, dict) or any(name not in payload for name in fields):
        raise InvalidToken
    return payload


def make_confirmation_token(subscriber_id: UUID, event_id: int) -> str:
    """Sign the subscriber and the subscription request (a ledger event) it confirms."""
    return sign_expiring({"s": str(subscriber_id), "e": event_id}, _CONFIRM_SALT)


def read_confirmation_token(token: str) -> ConfirmationRequest:
    payload = read_expiring(token, _CONFIRM_SALT, "s", "e")
    try:
        return ConfirmationRequest(UUID(payload["s"]), int(payload["e"]))
    except (TypeError, ValueError) as error:
        raise InvalidToken from error


def make_personal_token(subscriber_id: UUID) -> str:
    return signing.Signer(salt=_PERSONAL_SALT).sign(str(subscriber_id))


def read_personal_token(token: str) -> UUID:
    try:
        return UUID(signing.Signer(salt=_PERSONAL_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise InvalidToken from error
