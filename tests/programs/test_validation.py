"""Editors get a clear French error, never a 500, for inconsistent dates, prices and entries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from programs.models import ContestPage, EventPage, ProgramPage

pytestmark = pytest.mark.django_db

START = datetime(2030, 3, 5, 17, 0, tzinfo=UTC)


def add_url(model: type, parent) -> str:  # type: ignore[no-untyped-def]
    return reverse("wagtailadmin_pages:add", args=["programs", model._meta.model_name, parent.pk])


def test_event__end_before_start__is_refused_in_french() -> None:
    event = EventPage(
        title="Atelier",
        slug="atelier",
        start=START,
        end=START - timedelta(hours=1),
        registration_text="Sur place.",
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["end"] == [
        "La fin de l'événement doit être postérieure à son début."
    ]


def test_event__end_equal_to_start__is_refused() -> None:
    event = EventPage(title="A", slug="a", start=START, end=START, registration_text="Sur place.")
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "end" in error.value.message_dict


def test_event__without_any_way_to_register__is_refused() -> None:
    event = EventPage(title="A", slug="a", start=START, end=START + timedelta(hours=1))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["registration_text"] == [
        "Indiquez comment s'inscrire : sur le site, par une adresse, par un texte, ou plusieurs."
    ]


def test_event__registration_on_the_site__is_a_way_to_register() -> None:
    event = EventPage(
        title="A", slug="a", start=START, end=START + timedelta(hours=1), registration_open=True
    )
    event.clean()


def test_event__registration_deadline_after_the_start__is_refused() -> None:
    event = EventPage(
        title="A",
        slug="a",
        start=START,
        end=START + timedelta(hours=1),
        registration_open=True,
        registration_deadline=START + timedelta(minutes=1),
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["registration_deadline"] == [
        "La date limite d'inscription doit précéder le début de l'événement."
    ]


def test_admin__event_ending_before_it_starts__shows_the_error_and_creates_nothing(
    admin_client_logged, event_index
) -> None:
    data = nested_form_data(
        {
            "title": "Réunion",
            "slug": "reunion",
            "start": "2030-03-05 18:00",
            "end": "2030-03-05 17:00",
            "place": "Le Carburateur",
            "registration_text": "À l'accueil.",
            "registration_questions": streamfield([]),
            "body": streamfield([]),
            "action-publish": "action-publish",
        }
    )
    response = admin_client_logged.post(add_url(EventPage, event_index), data)
    assert response.status_code == 200
    assert "La fin de l&#x27;événement doit être postérieure à son début." in (
        response.content.decode()
    )
    assert not EventPage.objects.exists()


def test_program__paid_without_price__is_refused_in_french() -> None:
    program = ProgramPage(title="Atelier", slug="atelier", kind="formation", is_free=False)
    with pytest.raises(ValidationError) as error:
        program.full_clean()
    assert error.value.message_dict["price"] == ["Indiquez le tarif d'un programme payant."]
    program.price = "50 €"
    program.clean()


def test_contest__closing_before_opening__is_refused_in_french() -> None:
    contest = ContestPage(
        title="Concours",
        slug="concours",
        organiser="Aviva",
        vote_url="https://example.org",
        vote_opens_at=START,
        vote_closes_at=START - timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        contest.full_clean()
    assert error.value.message_dict["vote_closes_at"] == [
        "La clôture des votes doit suivre leur ouverture."
    ]


def contest_form(entries: list[dict[str, object]]) -> dict[str, object]:
    return nested_form_data(
        {
            "title": "La Fabrique Aviva",
            "slug": "la-fabrique-aviva",
            "organiser": "Aviva France",
            "vote_url": "https://lafabrique.aviva.fr/vote",
            "vote_opens_at": "2030-03-01 09:00",
            "vote_closes_at": "2030-04-11 12:00",
            "entries": inline_formset(entries),
            "reminder_plan": streamfield([]),
            "action-publish": "action-publish",
        }
    )


def test_admin__contest_with_its_residents__is_created_in_order(
    admin_client_logged, contest_index, members
) -> None:
    bocaux, medinscop = members
    response = admin_client_logged.post(
        add_url(ContestPage, contest_index),
        contest_form(
            [
                {"member": medinscop.pk, "project": "", "ORDER": "1"},
                {"member": bocaux.pk, "project": "Bocaux bio", "ORDER": "0"},
            ]
        ),
    )
    assert response.status_code == 302
    contest = ContestPage.objects.get()
    assert [e.member_id for e in contest.entries.order_by("sort_order")] == [
        bocaux.pk,
        medinscop.pk,
    ]
    # 9:00 in Marseille on 1 March is 8:00 UTC.
    assert contest.vote_opens_at == datetime(2030, 3, 1, 8, 0, tzinfo=UTC)


def test_admin__same_resident_entered_twice__is_a_form_error_not_a_500(
    admin_client_logged, contest_index, members
) -> None:
    bocaux, _ = members
    response = admin_client_logged.post(
        add_url(ContestPage, contest_index),
        contest_form([{"member": bocaux.pk, "ORDER": "0"}, {"member": bocaux.pk, "ORDER": "1"}]),
    )
    assert response.status_code == 200
    entries = response.context["form"].formsets["entries"]
    assert "en double" in str(entries.non_form_errors())
    assert not ContestPage.objects.exists()
