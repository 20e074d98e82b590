"""Signed links of the reminders: confirming a follow (expires after 7 days), opting out."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from django.core import signing

from subscriptions.tokens import CONFIRMATION_MAX_AGE, ExpiredToken, InvalidToken

_FOLLOW_SALT = "newsletters.reminders.follow"
_OPT_OUT_SALT = "newsletters.reminders.opt-out"


@dataclass(frozen=True)
class FollowRequest:
    subscriber_id: UUID
    contest_id: int
    event_id: int


def make_follow_token(subscriber_id: UUID, contest_id: int, event_id: int) -> str:
    signer = signing.TimestampSigner(salt=_FOLLOW_SALT)
    return signer.sign_object({"s": str(subscriber_id), "c": contest_id, "e": event_id})


def read_follow_token(token: str) -> FollowRequest:
    signer = signing.TimestampSigner(salt=_FOLLOW_SALT)
    try:
        payload = signer.unsign_object(token, max_age=CONFIRMATION_MAX_AGE)
        return FollowRequest(UUID(payload["s"]), int(payload["c"]), int(payload["e"]))
    except signing.SignatureExpired as error:
        raise ExpiredToken from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidToken from error


def make_opt_out_token(subscriber_id: UUID, contest_id: int) -> str:
    """Printed in every reminder of the contest; like the personal link, it does not expire."""
    return signing.Signer(salt=_OPT_OUT_SALT).sign_object(
        {"s": str(subscriber_id), "c": contest_id}
    )


def read_opt_out_token(token: str) -> tuple[UUID, int]:
    try:
        payload = signing.Signer(salt=_OPT_OUT_SALT).unsign_object(token)
        return UUID(payload["s"]), int(payload["c"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise InvalidToken from error
