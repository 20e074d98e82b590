from __future__ import annotations

import csv
import html
import io
import json
from typing import Any

import pytest

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from mailing.models import OutboxEmail, Suppression
from subscriptions.models import ConsentEvent, Subscriber, SubscriberImport, Topic

pytestmark = pytest.mark.django_db

INDEX = "/admin/newsletters/subscriber/"


@pytest.fixture
def people(confirmed: Any, subscribe: Any) -> dict[str, Subscriber]:
    marie = confirmed("marie@example.fr", topics=["actualites", "concours-votes"])
    paul = confirmed("paul@example.fr", topics=["actualites"])
    subscribe("attente@example.fr", topics=["formations-cma"])
    return {
        "marie": marie,
        "paul": paul,
        "attente": Subscriber.objects.get(email="attente@example.fr"),
    }


def test_subscriber_list__search_filters_and_counts_per_topic(
    people: dict, editor_client: Client
) -> None:
    response = editor_client.get(INDEX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Actualités du Carburateur : <strong>2</strong>" in html
    assert "Concours et votes : <strong>1</strong>" in html
    assert "Formations et réunions de la CMA : <strong>0</strong>" in html

    assert "paul@example.fr" not in editor_client.get(INDEX, {"q": "marie"}).content.decode()
    pending = editor_client.get(INDEX, {"status__exact": "pending"}).content.decode()
    assert "attente@example.fr" in pending and "marie@example.fr" not in pending
    topic = Topic.objects.get(slug="concours-votes")
    by_topic = editor_client.get(INDEX, {"topics__id__exact": topic.pk}).content.decode()
    assert "marie@example.fr" in by_topic and "paul@example.fr" not in by_topic


def test_subscriber_list__csv_export_follows_the_filters(
    people: dict, editor_client: Client
) -> None:
    response = editor_client.get(INDEX, {"export": "csv", "status__exact": "confirmed"})
    assert response.status_code == 200
    body = (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else response.content.decode()
    )
    assert "marie@example.fr" in body and "paul@example.fr" in body
    assert "attente@example.fr" not in body
    assert "Concours et votes" in body


def test_subscriber_list__csv_export_quotes_an_address_that_is_a_formula(
    subscribe: Any, editor_client: Client
) -> None:
    # Such an address passes the sign-up; opened in a spreadsheet, it would run.
    formula = "=cmd|'/Ccalc'!A0@example.org"
    assert subscribe(formula).status_code == 302
    subscribe("marie@example.fr")

    response = editor_client.get(INDEX, {"export": "csv"})

    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    stored = Subscriber.objects.exclude(email="marie@example.fr").get().email
    assert stored.startswith("=cmd|")
    assert sorted(row[0] for row in rows[1:]) == ["'" + stored, "marie@example.fr"]


def test_subscriber_admin__export_everything_about_a_person_as_json(
    people: dict, editor_client: Client
) -> None:
    marie = people["marie"]
    response = editor_client.get(f"{INDEX}export/{marie.pk}/")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(response.content)
    assert data["adresse"] == "marie@example.fr"
    assert [t["identifiant"] for t in data["themes"]] == ["actualites", "concours-votes"]
    kinds = [event["evenement"] for event in data["registre_des_consentements"]]
    assert kinds == ["subscription", "confirmation"]
    assert data["registre_des_consentements"][0]["texte_de_consentement"].startswith("J'accepte")
    assert data["courriels"][0]["objet"].startswith("Confirmez votre inscription")


def test_subscriber_admin__erase_removes_personal_data_and_keeps_the_hash_suppressed(
    people: dict, editor_client: Client, subscribe: Any
) -> None:
    marie = people["marie"]
    assert editor_client.get(f"{INDEX}erase/{marie.pk}/").status_code == 200
    response = editor_client.post(f"{INDEX}erase/{marie.pk}/")
    assert response.status_code == 302

    assert not Subscriber.objects.filter(pk=marie.pk).exists()
    assert not OutboxEmail.objects.filter(to="marie@example.fr").exists()
    assert Suppression.objects.get(address_hash=marie.email_hash).reason == "erased"
    erasure = ConsentEvent.objects.get(kind=ConsentEvent.Kind.ERASURE)
    assert erasure.address_hash == marie.email_hash
    assert "marie" not in json.dumps(list(ConsentEvent.objects.values()), default=str)

    # Her old links are dead, and nothing is ever mailed to her unless she opts in afresh.
    from subscriptions.audience import may_mail

    assert not may_mail("marie@example.fr", "actualites")


def test_subscriber_admin__people_without_permission_are_refused(
    people: dict, client: Client, django_user_model: Any
) -> None:
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("visiteur", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    marie = people["marie"]
    for url in (f"{INDEX}export/{marie.pk}/", f"{INDEX}import/"):
        assert client.get(url).status_code in {302, 403}
        assert client.get(url).get("Content-Type", "").startswith("text/html")
    client.post(f"{INDEX}erase/{marie.pk}/")
    assert Subscriber.objects.filter(pk=marie.pk).exists()
    client.logout()
    assert client.get(f"{INDEX}export/{marie.pk}/")["Location"].startswith("/admin/login/")


def test_subscriber_admin__no_hand_editing_or_plain_delete(
    people: dict, editor_client: Client
) -> None:
    marie = people["marie"]
    editor_client.post(f"{INDEX}edit/{marie.pk}/", {"email": "autre@example.fr"})
    editor_client.post(f"{INDEX}delete/{marie.pk}/")
    marie.refresh_from_db()
    assert marie.email == "marie@example.fr"


def test_topics__editors_can_add_and_rename_them(editor_client: Client, topics: dict) -> None:
    response = editor_client.post(
        "/admin/newsletters/topic/create/",
        {
            "name": "Vie du quartier",
            "slug": "quartier",
            "description": "",
            "sort_order": 4,
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    assert Topic.objects.filter(slug="quartier", is_active=True).exists()


@pytest.fixture
def upload_csv(editor_client: Client, topics: dict, django_capture_on_commit_callbacks: Any) -> Any:
    """Upload ``content`` through the admin import form, running the task as on commit."""

    def _upload(content: bytes) -> Any:
        upload = SimpleUploadedFile("liste.csv", content, "text/csv")
        with django_capture_on_commit_callbacks(execute=True):
            return editor_client.post(
                f"{INDEX}import/",
                {"file": upload, "consent_source": "Salon 2025", "default_topics": ["actualites"]},
            )

    return _upload


def test_admin_import__bad_file_imports_nothing_and_lists_each_bad_row(
    editor_client: Client, upload_csv: Any
) -> None:
    response = upload_csv(b"email\nbon@example.fr\nfaux@\n")
    record = SubscriberImport.objects.get()
    assert response["Location"] == f"{INDEX}import/{record.pk}/"
    page = editor_client.get(response["Location"]).content.decode()
    assert "Rien n'a été importé" in html.unescape(page)
    assert "faux@" in page
    record.refresh_from_db()
    assert record.status == SubscriberImport.Status.INVALID
    assert not Subscriber.objects.exists()


def test_admin_import__valid_file_runs_as_a_task_and_reports_counts(
    editor_client: Client, upload_csv: Any
) -> None:
    response = upload_csv(b"email\nun@example.fr\ndeux@example.fr\n")
    record = SubscriberImport.objects.get()
    assert record.status == SubscriberImport.Status.DONE
    assert (record.created_count, record.merged_count) == (2, 0)
    page = editor_client.get(response["Location"]).content.decode()
    assert "2 nouvelles adresses" in page
    assert Subscriber.objects.filter(status="confirmed").count() == 2
    assert mail.outbox == []  # imported people are not mailed a confirmation


def test_admin_import__form_errors_are_french(editor_client: Client, topics: dict) -> None:
    upload = SimpleUploadedFile("liste.xlsx", b"x", "application/octet-stream")
    response = editor_client.post(f"{INDEX}import/", {"file": upload, "consent_source": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choisissez un fichier .csv." in html
    assert not SubscriberImport.objects.exists()


def test_subscriber_admin__inspect_page_shows_the_person_and_topics(
    people: dict, editor_client: Client
) -> None:
    response = editor_client.get(f"{INDEX}inspect/{people['marie'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "marie@example.fr" in html
    assert "Concours et votes" in html
    assert f"{INDEX}erase/{people['marie'].pk}/" in editor_client.get(INDEX).content.decode()
