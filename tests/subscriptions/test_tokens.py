"""Confirmation links of any kind (sign-up, contest follow) share one signing rule."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine

from django.utils import timezone

from subscriptions.tokens import (
    CONFIRMATION_MAX_AGE,
    ExpiredToken,
    InvalidToken,
    read_expiring,
    sign_expiring,
)

SALT = "tests.confirm-something"


def test_expiring_link__reads_back_what_it_signed() -> None:
    token = sign_expiring({"s": "abc", "e": 3}, SALT)

    assert read_expiring(token, SALT, "s", "e") == {"s": "abc", "e": 3}


def test_expiring_link__is_expired_after_the_confirmation_delay() -> None:
    token = sign_expiring({"s": "abc"}, SALT)

    later = timezone.now() + CONFIRMATION_MAX_AGE + timedelta(minutes=1)
    with time_machine.travel(later), pytest.raises(ExpiredToken):
        read_expiring(token, SALT, "s")


@pytest.mark.parametrize(
    ("salt", "fields"),
    [("tests.another-kind", ("s",)), (SALT, ("s", "missing"))],
    ids=["signed-for-another-kind", "missing-a-field"],
)
def test_expiring_link__of_another_kind_or_incomplete_is_invalid(
    salt: str, fields: tuple[str, ...]
) -> None:
    token = sign_expiring({"s": "abc"}, SALT)

    with pytest.raises(InvalidToken):
        read_expiring(token, salt, *fields)
