"""The event form keeps the dates an editor types, or refuses them in French, and marks every
field it requires."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from django.test import Client
from django.urls import reverse

from wagtail.test.utils.form_data import nested_form_data, streamfield

from programs.models import EventIndexPage, EventPage

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


def add_url(event_index: EventIndexPage) -> str:
    return reverse("wagtailadmin_pages:add", args=["programs", "eventpage", event_index.pk])


def event_form(**fields: str) -> dict:
    return nested_form_data(
        {
            "title": "Réunion d'information",
            "slug": "reunion-information",
            "place": "Le Carburateur",
            "registration_text": "À l'accueil.",
            "registration_questions": streamfield([]),
            "body": streamfield([]),
            "action-publish": "action-publish",
            **fields,
        }
    )


def test_event_form__date_pickers_never_replace_a_typed_value(
    admin_client_logged: Client, event_index: EventIndexPage
) -> None:
    html = admin_client_logged.get(add_url(event_index)).content.decode()
    for field in ("id_start", "id_end"):
        config = re.search(rf'initDateTimeChooser\("{field}", (\{{.*?\}})\)', html)
        assert config is not None, field
        # The picker's check on blur put the current time in place of « 15/01/2031 ».
        assert '"validateOnBlur": false' in config.group(1)


def test_event_form__french_dates_are_kept_as_typed(
    admin_client_logged: Client, event_index: EventIndexPage
) -> None:
    response = admin_client_logged.post(
        add_url(event_index), event_form(start="15/01/2031", end="15/01/2031 20:30")
    )
    assert response.status_code == 302, response.content.decode()[-2000:]
    event = EventPage.objects.get()
    assert event.start == datetime(2031, 1, 15, 0, 0, tzinfo=PARIS)
    assert event.end == datetime(2031, 1, 15, 20, 30, tzinfo=PARIS)


def test_event_form__an_unreadable_date_is_refused_in_french(
    admin_client_logged: Client, event_index: EventIndexPage
) -> None:
    response = admin_client_logged.post(
        add_url(event_index), event_form(start="15 janvier", end="15/01/2031 20:30")
    )
    assert response.status_code == 200
    assert "Saisissez une date et une heure valides." in response.content.decode()
    assert not EventPage.objects.exists()


def test_event_form__the_registration_group_is_marked_required(
    admin_client_logged: Client, event_index: EventIndexPage
) -> None:
    html = admin_client_logged.get(add_url(event_index)).content.decode()
    heading = re.search(
        r"<span data-panel-heading-text>Inscription</span>(.{0,300}?)</h2>", html, re.S
    )
    assert heading is not None
    assert 'class="w-required-mark"' in heading.group(1)
    assert (
        "Obligatoire : l&#x27;inscription sur le site, une adresse, un texte, ou plusieurs."
    ) in html
    for required in ("Titre", "Début", "Fin", "Lieu", "Slug"):
        assert re.search(rf"{required}\s*(</span>)?<span class=\"w-required-mark\"", html), required
