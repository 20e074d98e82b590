"""The privacy policy states the retention periods the code really enforces."""

from __future__ import annotations

import pytest

from django.test import Client

from home.models import HomePage
from legal.retention import retention_periods


@pytest.mark.django_db
def test_privacy_page__states_the_unconfirmed_signup_purge_of_the_settings(
    client: Client, home_page: HomePage, settings
) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/politique-de-confidentialite/").content.decode()
    days = settings.NEWSLETTERS_PURGE_UNCONFIRMED_DAYS
    assert f"{days} jours après l&#x27;inscription, puis suppression automatique" in html


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache_off")
def test_privacy_page__follows_the_settings_when_they_change(
    client: Client, home_page: HomePage, settings
) -> None:  # type: ignore[no-untyped-def]
    settings.NEWSLETTERS_PURGE_UNCONFIRMED_DAYS = 45
    settings.NEWSLETTERS_RATE_LIMITS = {"ip": (20, 7200), "email": (3, 3600)}
    html = client.get("/politique-de-confidentialite/").content.decode()
    assert "45 jours après l&#x27;inscription" in html
    assert "<dd>2 heures</dd>" in html


def test_retention_periods__the_unconfirmed_purge_is_enforced_by_code(settings) -> None:  # type: ignore[no-untyped-def]
    settings.NEWSLETTERS_PURGE_UNCONFIRMED_DAYS = 1
    first = retention_periods()[0]
    assert first.period.startswith("1 jour après") and first.enforced


@pytest.mark.django_db
def test_privacy_page__names_the_rights_and_how_to_exercise_them(
    client: Client, home_page: HomePage
) -> None:
    html = client.get("/politique-de-confidentialite/").content.decode()
    for expected in (
        "droit d'accès",
        "portabilité",
        "Effacement",
        "CNIL",
        "désinscription en un clic",
    ):
        assert expected in html.replace("&#x27;", "'")
