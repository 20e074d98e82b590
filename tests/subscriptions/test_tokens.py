"""Signed links of any kind (sign-up, contest follow, opt-out) share one signing rule."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine

from django.utils import timezone

from subscriptions.tokens import CONFIRMATION_MAX_AGE, ExpiredToken, InvalidToken, SignedLink

LINK = SignedLink("tests.confirm-something", CONFIRMATION_MAX_AGE)


def _both(payload: dict[str, Any]) -> tuple[str, int]:
    return payload["s"], payload["e"]


def test_signed_link__reads_back_what_it_signed() -> None:
    token = LINK.make({"s": "abc", "e": 3})

    assert LINK.read(token, _both) == ("abc", 3)


def test_signed_link__is_expired_after_its_max_age() -> None:
    token = LINK.make({"s": "abc", "e": 3})

    later = timezone.now() + CONFIRMATION_MAX_AGE + timedelta(minutes=1)
    with time_machine.travel(later), pytest.raises(ExpiredToken):
        LINK.read(token, _both)


def test_signed_link__without_max_age_never_expires() -> None:
    link = SignedLink("tests.personal")
    token = link.make({"s": "abc", "e": 3})

    with time_machine.travel(timezone.now() + timedelta(days=3650)):
        assert link.read(token, _both) == ("abc", 3)


@pytest.mark.parametrize(
    ("link", "payload"),
    [
        (SignedLink("tests.another-kind", CONFIRMATION_MAX_AGE), {"s": "abc", "e": 3}),
        (LINK, {"s": "abc"}),
    ],
    ids=["signed-for-another-kind", "missing-a-field"],
)
def test_signed_link__of_another_kind_or_incomplete_is_invalid(
    link: SignedLink, payload: dict[str, Any]
) -> None:
    token = LINK.make(payload)

    with pytest.raises(InvalidToken):
        link.read(token, _both)
