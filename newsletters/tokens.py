"""Signed links: the confirmation link (expires after 7 days) and the personal link.

The personal link (preferences and one-click unsubscribe) does not expire: it is printed in
every email, and an old newsletter must still let its reader unsubscribe. Erasing a
subscriber deletes the row it points at, which kills the link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from uuid import UUID

from django.core import signing

CONFIRMATION_MAX_AGE = timedelta(days=7)
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


def make_confirmation_token(subscriber_id: UUID, event_id: int) -> str:
    """Sign the subscriber and the subscription request (a ledger event) it confirms."""
    signer = signing.TimestampSigner(salt=_CONFIRM_SALT)
    return signer.sign_object({"s": str(subscriber_id), "e": event_id})


def read_confirmation_token(token: str) -> ConfirmationRequest:
    signer = signing.TimestampSigner(salt=_CONFIRM_SALT)
    try:
        payload = signer.unsign_object(token, max_age=CONFIRMATION_MAX_AGE)
        return ConfirmationRequest(UUID(payload["s"]), int(payload["e"]))
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidToken from error


def make_personal_token(subscriber_id: UUID) -> str:
    return signing.Signer(salt=_PERSONAL_SALT).sign(str(subscriber_id))


def read_personal_token(token: str) -> UUID:
    try:
        return UUID(signing.Signer(salt=_PERSONAL_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise InvalidToken from error
