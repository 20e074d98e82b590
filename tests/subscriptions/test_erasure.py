"""Erasure leaves no address behind, not even in the error lists kept from CSV imports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from django.test import Client

from subscriptions.importer import ERASED_ADDRESS, run_stored_import
from subscriptions.models import Subscriber, SubscriberImport

pytestmark = pytest.mark.django_db

INDEX = "/admin/newsletters/subscriber/"


def stored_import(tmp_path: Path, text: str) -> SubscriberImport:
    """An uploaded file run through the import task, as the admin's upload does."""
    path = tmp_path / "abonnes.csv"
    path.write_text(text, encoding="utf-8")
    record = SubscriberImport.objects.create(
        original_name="abonnes.csv", stored_path=str(path), consent_source="Salon 2025"
    )
    run_stored_import(record.pk)
    record.refresh_from_db()
    return record


def test_erasing_a_person__scrubs_their_address_from_stored_import_errors(
    tmp_path: Path, topics: dict, subscribe: Any, editor_client: Client
) -> None:
    record = stored_import(
        tmp_path,
        "email;themes\nMarie@EXAMPLE.fr;inexistant\npaul@example.fr;inexistant\nmarie@;actualites\n",
    )
    assert (record.status, record.message) == (SubscriberImport.Status.INVALID, "")
    assert [error["value"] for error in record.errors] == [
        "Marie@EXAMPLE.fr",
        "paul@example.fr",
        "marie@",
    ]
    subscribe("marie@example.fr")
    marie = Subscriber.objects.get(email="marie@example.fr")

    response = editor_client.post(f"{INDEX}erase/{marie.pk}/")

    assert response.status_code == 302
    assert not Subscriber.objects.filter(pk=marie.pk).exists()
    record.refresh_from_db()
    assert [error["value"] for error in record.errors] == [
        ERASED_ADDRESS,
        "paul@example.fr",  # someone else: kept for the editor who fixes the file
        "marie@",  # not an address of hers: no one can be found from it
    ]
    assert [error["line"] for error in record.errors] == [2, 3, 4]
    assert "marie@example" not in json.dumps(record.errors).lower()


def test_importing_an_erased_address__stores_the_error_without_the_address(
    tmp_path: Path, topics: dict, subscribe: Any, editor_client: Client
) -> None:
    subscribe("marie@example.fr")
    marie = Subscriber.objects.get(email="marie@example.fr")
    assert editor_client.post(f"{INDEX}erase/{marie.pk}/").status_code == 302

    record = stored_import(tmp_path, "email;themes\nmarie@example.fr;actualites\n")

    assert record.status == SubscriberImport.Status.INVALID
    [error] = record.errors
    assert error["line"] == 2
    assert error["value"] == ERASED_ADDRESS
    assert error["reason"].startswith("adresse désinscrite ou effacée")
