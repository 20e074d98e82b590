"""Signed links of the reminders: confirming a follow (expires after 7 days), opting out."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID

from subscriptions.tokens import CONFIRMATION_MAX_AGE, SignedLink

# The salts predate the app's move: changing them would kill the links already emailed.
_FOLLOW = SignedLink("newsletters.reminders.follow", CONFIRMATION_MAX_AGE)
#: Printed in every reminder of the contest; like the personal link, it does not expire.
_OPT_OUT = SignedLink("newsletters.reminders.opt-out")


@dataclass(frozen=True)
class FollowRequest:
    subscriber_id: UUID
    contest_id: int
    event_id: int


def make_follow_token(subscriber_id: UUID, contest_id: int, event_id: int) -> str:
    return _FOLLOW.make({"s": str(subscriber_id), "c": contest_id, "e": event_id})


def read_follow_token(token: str) -> FollowRequest:
    return _FOLLOW.read(token, lambda p: FollowRequest(UUID(p["s"]), int(p["c"]), int(p["e"])))


def make_opt_out_token(subscriber_id: UUID, contest_id: int) -> str:
    return _OPT_OUT.make({"s": str(subscriber_id), "c": contest_id})


def read_opt_out_token(token: str) -> tuple[UUID, int]:
    return _OPT_OUT.read(token, lambda p: (UUID(p["s"]), int(p["c"])))
