"""The registrations demo: a CMA training open for registration, full with a waiting list, and
a past meeting with check-ins; a second run changes nothing."""

from __future__ import annotations

from typing import Any

import pytest
import time_machine

from django.test import Client

from wagtail.models import Page, Revision

from core.demo import DemoReport
from editorial.enforcement import chamber_bypass
from mailing.models import OutboxEmail
from programs.demo import load_programs_demo
from programs.models import EventPage, PartnerPage
from registrations import services
from registrations.demo import PAST_MEETING_SLUG, TRAINING_SLUG, load_registrations_demo
from registrations.models import Registration

pytestmark = pytest.mark.django_db


def load(home_page: Any) -> DemoReport:
    report = DemoReport()
    with chamber_bypass("démo"):
        load_registrations_demo(home_page, report)
    return report


@pytest.fixture
def programs_demo(home_page: Any) -> None:
    with chamber_bypass("démo"):
        load_programs_demo(home_page, DemoReport(), contest_entrant=None)


@pytest.mark.parametrize("today", ["2026-12-21 10:00", "2027-05-03 10:00"])
def test_registrations_demo__a_joint_training_open_and_full_with_a_waiting_list(
    client: Client, home_page: Any, programs_demo: None, today: str
) -> None:
    with time_machine.travel(f"{today} +0100", tick=False):
        load(home_page)

        training = EventPage.objects.live().get(slug=TRAINING_SLUG)
        assert training.joint_partner_id == PartnerPage.objects.get(slug="cma").pk
        assert training.capacity == 12
        assert training.registration_open and training.waiting_list
        questions = [
            (block.block_type, block.value["label"]) for block in training.registration_questions
        ]
        assert questions == [
            ("text", "Votre activité"),
            ("choice", "Votre situation"),
            ("yes_no", "Avez-vous déjà un numéro SIRET ?"),
        ]
        assert list(training.registration_questions[1].value["choices"]) == [
            "Projet",
            "Entreprise de moins de 3 ans",
            "Entreprise installée",
        ]
        assert training.registrations.confirmed().count() == 12
        assert training.registrations.waiting().count() >= 1
        assert services.registration_state(training) is services.State.WAITING_LIST
        situations = {row.answers[1]["answer"] for row in training.registrations.all()}
        assert situations <= {"Projet", "Entreprise de moins de 3 ans", "Entreprise installée"}
        assert client.get(training.url).status_code == 200


def test_registrations_demo__a_past_joint_meeting_with_check_ins_for_the_chart(
    home_page: Any, programs_demo: None
) -> None:
    load(home_page)

    meeting = EventPage.objects.live().get(slug=PAST_MEETING_SLUG)
    assert meeting.joint_partner_id is not None
    assert services.registration_state(meeting) is services.State.PAST
    confirmed = meeting.registrations.confirmed()
    present = confirmed.filter(checked_in_at__isnull=False).count()
    assert 0 < present < confirmed.count()
    assert meeting.registrations.filter(status=Registration.Status.CANCELLED).exists()


def test_registrations_demo__a_second_run_changes_nothing_and_mails_no_one(
    home_page: Any, programs_demo: None
) -> None:
    load(home_page)
    counts = (Page.objects.count(), Revision.objects.count(), Registration.objects.count())

    second = load(home_page)

    assert (Page.objects.count(), Revision.objects.count(), Registration.objects.count()) == counts
    assert second.created == 0
    assert not OutboxEmail.objects.exists()
    # Every demo person has an address no one owns.
    emails = Registration.objects.values_list("email", flat=True)
    assert all(email.endswith("@example.org") for email in emails)
