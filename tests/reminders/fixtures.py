"""Fixtures of the contest-reminder tests: a contest with a resident, people, a controlled clock.

La Fabrique Aviva 2025: the vote opens on Saturday 1 March at 09:00 and closes on Friday
11 April at 23:59 (Marseille), with the last Sunday of March (the 30th) in between.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from django.core import mail

from mailing.addresses import address_hash
from mailing.models import Suppression
from members.models import MemberPage
from programs.models import ContestIndexPage, ContestPage
from reminders.models import ContestFollow
from reminders.tasks import dispatch_contest_reminders
from subscriptions.models import Subscriber, Topic
from tests.factories.members import MemberPageFactory
from tests.factories.programs import ContestIndexPageFactory, ContestPageFactory
from tests.factories.subscriptions import SubscriberFactory

PARIS = ZoneInfo("Europe/Paris")
OPENS = datetime(2025, 3, 1, 9, 0, tzinfo=PARIS)
CLOSES = datetime(2025, 4, 11, 23, 59, tzinfo=PARIS)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


@pytest.fixture
def resident(home_page: Any) -> MemberPage:
    return MemberPageFactory(
        title="La Compagnie des Bocaux",
        slug="la-compagnie-des-bocaux",
        company_name="La Compagnie des Bocaux",
    )


@pytest.fixture
def contest_index(home_page: Any) -> ContestIndexPage:
    return ContestIndexPageFactory(parent=home_page)


@pytest.fixture
def make_contest(contest_index: ContestIndexPage) -> Callable[..., ContestPage]:
    """A live contest with the default reminder plan unless ``reminder_plan`` is given."""

    def make(
        opens: datetime = OPENS,
        closes: datetime = CLOSES,
        residents: tuple[MemberPage, ...] = (),
        **fields: Any,
    ) -> ContestPage:
        return ContestPageFactory(
            parent=contest_index,
            vote_opens_at=opens,
            vote_closes_at=closes,
            residents=residents,
            residents__project="Des bocaux bio",
            **fields,
        )

    return make


@pytest.fixture
def aviva(make_contest: Callable[..., ContestPage], resident: MemberPage) -> ContestPage:
    return make_contest(
        residents=(resident,),
        slug="la-fabrique-aviva",
        reminder_text="Chaque voix compte : votez chaque jour !",
    )


@pytest.fixture
def contests_topic(db: None) -> Topic:
    return Topic.objects.get(slug="concours-votes")


def make_subscriber(
    email: str, *, topics: tuple[str, ...] = (), status: str = Subscriber.Status.CONFIRMED
) -> Subscriber:
    return SubscriberFactory(email=email, status=status, topics=topics)


@pytest.fixture
def topic_subscriber(contests_topic: Topic) -> Callable[[str], Subscriber]:
    """A confirmed subscriber of « Concours et votes »."""
    return lambda email: make_subscriber(email, topics=("concours-votes",))


@pytest.fixture
def follower(db: None) -> Callable[..., Subscriber]:
    """Someone who asked to be reminded of ``contest`` and clicked the confirmation link.

    By default they confirmed the day before the vote opened, so every slot is owed to them;
    ``confirmed_at`` says otherwise.
    """

    def make(
        email: str, contest: ContestPage, *, confirmed_at: datetime | None = None
    ) -> Subscriber:
        subscriber = Subscriber.objects.filter(email_hash=address_hash(email)).first()
        subscriber = subscriber or make_subscriber(email, status=Subscriber.Status.PENDING)
        ContestFollow.objects.create(
            contest=contest,
            subscriber=subscriber,
            confirmed_at=confirmed_at or contest.vote_opens_at - timedelta(days=1),
        )
        return subscriber

    return make


def suppress(email: str, reason: str = Suppression.Reason.BOUNCED) -> None:
    Suppression.objects.create(address_hash=address_hash(email), reason=reason)


@pytest.fixture
def beat(django_capture_on_commit_callbacks: Any) -> Callable[[datetime], list[Any]]:
    """Run the beat task at ``moment`` (frozen clock); return the emails that left then."""

    def run(moment: datetime) -> list[Any]:
        before = len(mail.outbox)
        with (
            time_machine.travel(moment, tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            dispatch_contest_reminders()
        return mail.outbox[before:]

    return run
