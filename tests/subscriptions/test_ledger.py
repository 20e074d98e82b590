from __future__ import annotations

from typing import Any

import pytest

from django.test import Client

from subscriptions.models import AppendOnlyError, ConsentEvent, ConsentWording
from tests.factories.subscriptions import ConsentEventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(topics: dict) -> ConsentEvent:
    return ConsentEventFactory()


def test_ledger__events_cannot_be_changed_or_deleted(event: ConsentEvent) -> None:
    event.source = "falsifié"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.filter(pk=event.pk).update(source="falsifié")
    with pytest.raises(AppendOnlyError):
        ConsentEvent.objects.all().delete()
    event.refresh_from_db()
    assert event.source == "page /"


def test_consent_wording__a_change_is_a_new_version(topics: dict) -> None:
    first = ConsentWording.current()
    with pytest.raises(AppendOnlyError):
        first.text = "autre"
        first.save()
    second = ConsentWording.objects.create(text="Nouveau texte")
    assert second.version == first.version + 1
    assert ConsentWording.current() == second


def test_signup_form__records_the_wording_version_the_person_saw(
    subscribe: Any, client: Client
) -> None:
    shown = ConsentWording.current().version
    ConsentWording.objects.create(text="Texte plus récent")
    subscribe(consent_version=shown)
    assert ConsentEvent.objects.get().wording.version == shown


def test_ledger_admin__editors_can_read_but_never_edit_or_delete(
    event: ConsentEvent, admin_client_logged: Client
) -> None:
    base = "/admin/newsletters/consentevent/"
    assert admin_client_logged.get(base).status_code == 200
    assert admin_client_logged.get(f"{base}inspect/{event.pk}/").status_code == 200
    for url in (f"{base}edit/{event.pk}/", f"{base}delete/{event.pk}/", f"{base}create/"):
        response = admin_client_logged.post(url, {"source": "falsifié"})
        # Wagtail answers a refused admin action by sending the user back to the dashboard.
        refused = response.status_code in {403, 404} or response.get("Location") == "/admin/"
        assert refused, url
    event.refresh_from_db()
    assert event.source == "page /"
    assert ConsentEvent.objects.count() == 1
