"""The reminders' links survive the app's move: same addresses, and tokens already emailed."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import uuid4

import pytest
import time_machine

from django.core import signing
from django.urls import reverse

from reminders.tokens import (
    FollowRequest,
    make_follow_token,
    make_opt_out_token,
    read_follow_token,
    read_opt_out_token,
)
from subscriptions.tokens import ExpiredToken, InvalidToken


def test_urls__stay_under_newsletter_rappel() -> None:
    assert reverse("reminders:signup", args=[7]) == "/newsletter/rappel/7/"
    assert reverse("reminders:thanks", args=[7]) == "/newsletter/rappel/7/merci/"
    assert reverse("reminders:confirm", args=["T"]) == "/newsletter/rappel/confirmer/T/"
    assert reverse("reminders:opt_out", args=["T"]) == "/newsletter/rappel/arreter/T/"


def test_follow_link_emailed_before_the_move__is_still_read() -> None:
    subscriber_id = uuid4()
    token = signing.TimestampSigner(salt="newsletters.reminders.follow").sign_object(
        {"s": str(subscriber_id), "c": 12, "e": 34}
    )
    assert read_follow_token(token) == FollowRequest(subscriber_id, 12, 34)


def test_opt_out_link_emailed_before_the_move__is_still_read_and_made_the_same() -> None:
    subscriber_id = uuid4()
    token = signing.Signer(salt="newsletters.reminders.opt-out").sign_object(
        {"s": str(subscriber_id), "c": 12}
    )
    assert read_opt_out_token(token) == (subscriber_id, 12)
    assert make_opt_out_token(subscriber_id, 12) == token


def test_follow_link__expires_after_seven_days() -> None:
    with time_machine.travel(datetime(2025, 3, 1, 10, tzinfo=UTC), tick=False):
        token = make_follow_token(uuid4(), 1, 1)
    with time_machine.travel(datetime(2025, 3, 8, 9, 59, tzinfo=UTC), tick=False):
        assert read_follow_token(token).contest_id == 1
    late = time_machine.travel(datetime(2025, 3, 8, 10, 0, 1, tzinfo=UTC), tick=False)
    with late, pytest.raises(ExpiredToken):
        read_follow_token(token)


def test_links__refuse_a_token_of_another_kind() -> None:
    opt_out = make_opt_out_token(uuid4(), 1)
    with pytest.raises(InvalidToken):
        read_follow_token(opt_out)
    with pytest.raises(InvalidToken):
        read_opt_out_token(opt_out[:-2])
