"""registrations.services: seats, the waiting list, duplicates, closing, cancelling, promoting."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import escape

from mailing.models import OutboxEmail
from programs.models import EventPage
from registrations import services
from registrations.models import Registration
from registrations.services import State
from registrations.signals import registration_cancelled

pytestmark = pytest.mark.django_db

Status = Registration.Status


def sign_up(event: EventPage, email: str, **fields: Any) -> services.Outcome:
    return services.register(event, name=fields.pop("name", "Nadia"), email=email, **fields)


def kinds(address: str) -> list[str]:
    return list(
        OutboxEmail.objects.filter(to__iexact=address).order_by("pk").values_list("kind", flat=True)
    )


def test_register__confirmed_while_seats_remain_then_waiting_in_order(event: EventPage) -> None:
    first = sign_up(event, "a@example.fr")
    second = sign_up(event, "b@example.fr")
    third = sign_up(event, "c@example.fr")
    fourth = sign_up(event, "d@example.fr")

    assert (first.status, first.position) == ("confirmed", None)
    assert (second.status, second.position) == ("confirmed", None)
    assert (third.status, third.position, third.page_position) == ("waiting", 1, 1)
    assert (fourth.status, fourth.position) == ("waiting", 2)
    assert services.seats_left(event) == 0
    assert services.registration_state(event) is State.WAITING_LIST
    assert kinds("a@example.fr") == ["registration_confirmed"]
    assert kinds("d@example.fr") == ["registration_waiting"]
    waiting_email = OutboxEmail.objects.get(to="d@example.fr")
    assert "position 2" in waiting_email.subject and "position 2" in waiting_email.body_text


def test_register__unlimited_seats(make_event: Callable[..., EventPage]) -> None:
    event = make_event(capacity=None)
    outcomes = [sign_up(event, f"p{n}@example.fr").status for n in range(5)]

    assert outcomes == ["confirmed"] * 5
    assert services.seats_left(event) is None


def test_register__full_without_waiting_list_is_closed(
    make_event: Callable[..., EventPage],
) -> None:
    event = make_event(capacity=1, waiting_list=False)
    sign_up(event, "a@example.fr")

    outcome = sign_up(event, "b@example.fr")

    assert (outcome.status, outcome.state, outcome.registration) == ("closed", State.FULL, None)
    assert not Registration.objects.filter(email="b@example.fr").exists()
    assert kinds("b@example.fr") == []


@pytest.mark.parametrize(
    ("fields", "state"),
    [
        ({"registration_deadline": timezone.now() - timedelta(minutes=1)}, State.DEADLINE_PASSED),
        (
            {"start": timezone.now() - timedelta(minutes=5), "duration": timedelta(hours=2)},
            State.STARTED,
        ),
        (
            {"start": timezone.now() - timedelta(days=2), "duration": timedelta(hours=2)},
            State.PAST,
        ),
        ({"registration_open": False}, State.NOT_OPEN),
    ],
    ids=["deadline", "started", "past", "not-open"],
)
def test_register__closed_events_refuse_and_store_nothing(
    make_event: Callable[..., EventPage], fields: dict[str, Any], state: State
) -> None:
    event = make_event(**fields)

    outcome = sign_up(event, "a@example.fr")

    assert (outcome.status, outcome.state) == ("closed", state)
    assert not state.is_open and state.message
    assert Registration.objects.count() == 0
    assert OutboxEmail.objects.count() == 0


def test_register__open_until_the_deadline(make_event: Callable[..., EventPage]) -> None:
    event = make_event(registration_deadline=timezone.now() + timedelta(minutes=1))

    assert sign_up(event, "a@example.fr").status == "confirmed"


def test_register__unpublished_event_is_closed(event: EventPage) -> None:
    event.unpublish()
    event.refresh_from_db()

    assert sign_up(event, "a@example.fr").state is State.UNPUBLISHED
    assert Registration.objects.count() == 0


def test_register__invalid_address_raises_a_french_error(event: EventPage) -> None:
    with pytest.raises(ValidationError, match="adresse"):
        sign_up(event, "pas-une-adresse")
    assert Registration.objects.count() == 0


def test_register__same_address_in_another_case_is_a_duplicate(event: EventPage) -> None:
    first = sign_up(event, "Nadia@Example.fr", name="Nadia")

    again = sign_up(event, "nADIA@example.FR", name="Quelqu'un d'autre")

    assert again.status == "duplicate"
    assert again.registration == first.registration
    # The page says what a first registration would say now: a seat is still free.
    assert (again.page_status, again.page_position) == ("confirmed", None)
    registration = Registration.objects.get()
    assert registration.name == "Nadia"
    assert kinds("nadia@example.fr") == ["registration_confirmed", "registration_duplicate"]
    duplicate = OutboxEmail.objects.get(kind="registration_duplicate")
    assert duplicate.to == "Nadia@example.fr"
    assert "déjà inscrit·e" in duplicate.subject
    assert services.seats_left(event) == 1


def test_register__duplicate_of_a_waiting_person_shows_what_a_newcomer_would_see(
    make_event: Callable[..., EventPage],
) -> None:
    event = make_event(capacity=1)
    sign_up(event, "a@example.fr")
    waiting = sign_up(event, "b@example.fr")

    again = sign_up(event, "B@example.fr")

    assert (again.status, again.position) == ("duplicate", 1)
    assert again.registration == waiting.registration
    assert (again.page_status, again.page_position) == ("waiting", 2)
    assert "position 1" in OutboxEmail.objects.get(kind="registration_duplicate").body_text


def test_register__duplicate_emails_are_limited_per_address_and_event(event: EventPage) -> None:
    sign_up(event, "a@example.fr")
    for _attempt in range(services.DUPLICATE_EMAILS_PER_HOUR + 3):
        assert sign_up(event, "a@example.fr").status == "duplicate"

    assert kinds("a@example.fr").count("registration_duplicate") == (
        services.DUPLICATE_EMAILS_PER_HOUR
    )


def test_register__a_cancelled_person_registering_again_gets_a_new_place(
    make_event: Callable[..., EventPage],
) -> None:
    event = make_event(capacity=1)
    first = sign_up(event, "a@example.fr").registration
    assert first is not None
    sign_up(event, "b@example.fr")
    services.cancel(first)  # b is promoted
    sign_up(event, "c@example.fr")  # waiting, position 1

    again = sign_up(event, "A@example.fr", name="Nadia B.")

    assert (again.status, again.position) == ("waiting", 2)
    assert again.registration is not None and again.registration.pk == first.pk
    assert Registration.objects.filter(email__iexact="a@example.fr").count() == 1
    first.refresh_from_db()
    assert (first.status, first.cancelled_at, first.name) == (Status.WAITING, None, "Nadia B.")


def test_register__stores_answers_and_consent(event: EventPage) -> None:
    answers = [{"id": "q-trade", "label": "Votre métier", "answer": "Coiffure"}]

    outcome = sign_up(event, "a@example.fr", answers=answers, consent_text="J'accepte", phone="06")

    registration = outcome.registration
    assert registration is not None
    registration.refresh_from_db()
    assert registration.answers == answers
    assert (registration.consent_text, registration.phone) == ("J'accepte", "06")
    assert registration.address_hash and registration.confirmed_at is not None


def test_cancel__promotes_the_first_waiting_person_who_is_emailed_once(event: EventPage) -> None:
    first = sign_up(event, "a@example.fr").registration
    sign_up(event, "b@example.fr")
    waiting_first = sign_up(event, "c@example.fr").registration
    sign_up(event, "d@example.fr")
    received: list[Registration] = []

    def receiver(sender: Any, registration: Registration, **kwargs: Any) -> None:
        received.append(registration)

    registration_cancelled.connect(receiver)
    try:
        assert first is not None
        promoted = services.cancel(first)
        again = services.cancel(first)
    finally:
        registration_cancelled.disconnect(receiver)

    assert promoted is not None and waiting_first is not None
    assert promoted.pk == waiting_first.pk
    assert again is None
    assert [r.pk for r in received] == [first.pk]
    waiting_first.refresh_from_db()
    assert waiting_first.status == Status.CONFIRMED and waiting_first.promoted_at is not None
    assert kinds("a@example.fr") == ["registration_confirmed", "registration_cancelled"]
    assert kinds("c@example.fr") == ["registration_waiting", "registration_promoted"]
    assert kinds("d@example.fr") == ["registration_waiting"]
    assert services.waiting_position(Registration.objects.get(email="d@example.fr")) == 1
    assert services.seats_left(event) == 0


def test_cancel__a_waiting_person_leaves_the_line_and_promotes_nobody(event: EventPage) -> None:
    sign_up(event, "a@example.fr")
    sign_up(event, "b@example.fr")
    waiting = sign_up(event, "c@example.fr").registration
    sign_up(event, "d@example.fr")
    assert waiting is not None

    assert services.cancel(waiting) is None

    assert services.waiting_position(Registration.objects.get(email="d@example.fr")) == 1
    assert kinds("d@example.fr") == ["registration_waiting"]


def test_cancel__within_the_cutoff_the_seat_is_simply_free(
    make_event: Callable[..., EventPage], settings: Any
) -> None:
    settings.REGISTRATIONS_PROMOTION_CUTOFF_HOURS = 24
    event = make_event(capacity=1, start=timezone.now() + timedelta(hours=23))
    first = sign_up(event, "a@example.fr").registration
    sign_up(event, "b@example.fr")
    assert first is not None

    assert services.cancel(first) is None

    assert Registration.objects.get(email="b@example.fr").status == Status.WAITING
    assert kinds("b@example.fr") == ["registration_waiting"]
    assert services.seats_left(event) == 1
    # The free seat goes to whoever registers next.
    assert sign_up(event, "e@example.fr").status == "confirmed"


def test_cancel__just_before_the_cutoff_still_promotes(
    make_event: Callable[..., EventPage], settings: Any
) -> None:
    settings.REGISTRATIONS_PROMOTION_CUTOFF_HOURS = 24
    event = make_event(capacity=1, start=timezone.now() + timedelta(hours=25))
    first = sign_up(event, "a@example.fr").registration
    sign_up(event, "b@example.fr")
    assert first is not None

    assert services.cancel(first) is not None


def test_emails__carry_the_event_the_ics_and_the_cancellation_link(event: EventPage) -> None:
    sign_up(event, "a@example.fr")
    registration = Registration.objects.get()
    services.cancel(registration)

    confirmed = OutboxEmail.objects.get(kind="registration_confirmed")
    assert [a["filename"] for a in confirmed.attachments] == [f"{event.slug}.ics"]
    assert "BEGIN:VEVENT" in confirmed.attachments[0]["content"]
    assert "/inscriptions/annuler/" in confirmed.body_text
    assert "/inscriptions/annuler/" in confirmed.body_html
    assert escape(event.title) in confirmed.body_html and "Marseille" in confirmed.body_text
    assert "Gérer mes préférences" not in confirmed.body_html  # no newsletter footer
    cancelled = OutboxEmail.objects.get(kind="registration_cancelled")
    assert cancelled.attachments == []  # no calendar entry for someone who is not coming
    assert "annulée" in cancelled.subject
