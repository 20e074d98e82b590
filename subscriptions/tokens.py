"""Signed links: the confirmation link (expires after 7 days) and the personal link.

The personal link (preferences and one-click unsubscribe) does not expire: it is printed in
every email, and an old newsletter must still let its reader unsubscribe. Erasing a
subscriber deletes the row it points at, which kills the link.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any, TypeVar
from uuid import UUID

from django.core import signing

CONFIRMATION_MAX_AGE = timedelta(days=7)
_PERSONAL_SALT = "newsletters.personal"

T = TypeVar("T")


class InvalidToken(Exception):
    """The link was forged, altered or truncated."""


class ExpiredToken(Exception):
    """The link was genuine but is older than it may be."""


@dataclass(frozen=True)
class SignedLink:
    """A small signed payload carried in a link; with ``max_age`` it is dated and expires.

    The salt names what the link does, so a token made for one kind of link is refused by
    another. Changing a salt kills every link already sent.
    """

    salt: str
    max_age: timedelta | None = None

    def _signer(self) -> signing.Signer:
        if self.max_age is None:
            return signing.Signer(salt=self.salt)
        return signing.TimestampSigner(salt=self.salt)

    def make(self, payload: dict[str, Any]) -> str:
        return self._signer().sign_object(payload)

    def read(self, token: str, build: Callable[[dict[str, Any]], T]) -> T:
        """``build(payload)``; raises ExpiredToken, or InvalidToken (``build`` failing too)."""
        signer = self._signer()
        try:
            if isinstance(signer, signing.TimestampSigner):
                payload = signer.unsign_object(token, max_age=self.max_age)
            else:
                payload = signer.unsign_object(token)
            return build(payload)
        except signing.SignatureExpired as error:
            raise ExpiredToken from error
        except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
            raise InvalidToken from error


_CONFIRMATION = SignedLink("newsletters.confirm", CONFIRMATION_MAX_AGE)


@dataclass(frozen=True)
class ConfirmationRequest:
    subscriber_id: UUID
    event_id: int


def make_confirmation_token(subscriber_id: UUID, event_id: int) -> str:
    """Sign the subscriber and the subscription request (a ledger event) it confirms."""
    return _CONFIRMATION.make({"s": str(subscriber_id), "e": event_id})


def read_confirmation_token(token: str) -> ConfirmationRequest:
    return _CONFIRMATION.read(token, lambda p: ConfirmationRequest(UUID(p["s"]), int(p["e"])))


def make_personal_token(subscriber_id: UUID) -> str:
    return signing.Signer(salt=_PERSONAL_SALT).sign(str(subscriber_id))


def read_personal_token(token: str) -> UUID:
    try:
        return UUID(signing.Signer(salt=_PERSONAL_SALT).unsign(token))
    except (signing.BadSignature, ValueError) as error:
        raise InvalidToken from error
