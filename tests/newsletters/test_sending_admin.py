"""The sending pages of the admin, the public archive and the bounce webhooks, over HTTP."""

from __future__ import annotations

import base64
import json
from datetime import timedelta
from typing import Any

import pytest
import time_machine

from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.test import Client
from django.utils import timezone

from wagtail.models import GroupApprovalTask, GroupPagePermission, Page, Workflow, WorkflowTask

from home.models import HomePage
from mailing.models import OutboxEmail, Suppression
from newsletters import sending
from newsletters.models import Delivery, NewsletterPage, Send
from newsletters.send_views import time_left
from subscriptions.models import Subscriber, Topic

from .conftest import page_text
from .issues import make_issue, make_subscribers, newsletter_index

pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(django_user_model: Any, home_page: HomePage) -> Any:
    """An editor who may edit pages and send newsletters."""
    group = Group.objects.create(name="Lettres")
    group.permissions.add(
        Permission.objects.get(codename="access_admin"),
        *Permission.objects.filter(
            content_type__app_label="newsletters", codename__in=["add_send", "change_send"]
        ),
    )
    for permission in ("add_page", "change_page", "publish_page"):
        GroupPagePermission.objects.create(
            group=group, page=home_page, permission=Permission.objects.get(codename=permission)
        )
    user = django_user_model.objects.create_user(
        "redactrice", email="redactrice@lecarburateur.fr", password="x"
    )
    user.groups.add(group)
    return user


@pytest.fixture
def sender_client(client: Client, sender: Any) -> Client:
    client.force_login(sender)
    return client


def send_url(page: Page, step: str = "") -> str:
    return f"/admin/newsletters/issue/{page.pk}/send/{step}"


def crafted_confirm(client: Client, page: Page, **data: str) -> Any:
    return client.post(send_url(page, "confirm/"), {"when": "now", **data})


def test_send_page__approved_issue_shows_the_count_then_a_summary_then_sends(
    sender_client: Client,
    home_page: HomePage,
    topics: dict[str, Topic],
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_subscribers(3, topics["actualites"])
    page = make_issue(home_page, topics["actualites"])

    response = sender_client.get(send_url(page))
    assert response.status_code == 200
    assert "3 destinataires" in page_text(response)
    assert (
        "disabled" not in page_text(response).split("Envoyer aux abonné·es")[1].split("</form>")[0]
    )

    summary = sender_client.post(send_url(page, "summary/"), {"when": "now"})
    assert summary.status_code == 200
    text = page_text(summary)
    assert "Les nouvelles de mars" in text and topics["actualites"].name in text
    assert "Confirmer l'envoi" in text and not Send.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = crafted_confirm(sender_client, page)

    send = Send.objects.get()
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/admin/newsletters/send/{send.pk}/"
    assert send.revision_id == page.live_revision_id and send.created_by.username == "redactrice"
    assert len(mail.outbox) == 3
    progress = page_text(sender_client.get(confirmed["Location"]))
    assert "Envoyés</th><td>3" in progress.replace("\n", "")


def test_send_page__scheduled_send_waits_for_its_time_in_paris(
    sender_client: Client, home_page: HomePage, topics: dict[str, Topic]
) -> None:
    page = make_issue(home_page, topics["actualites"])

    response = sender_client.post(
        send_url(page, "confirm/"), {"when": "later", "scheduled_at": "2099-04-11T09:30"}
    )

    assert response.status_code == 302
    send = Send.objects.get()
    assert send.status == Send.Status.SCHEDULED
    assert send.scheduled_at.isoformat() == "2099-04-11T07:30:00+00:00"  # 9 h 30 in Paris


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"when": "later", "scheduled_at": ""}, "Indiquez la date et l'heure de l'envoi."),
        (
            {"when": "later", "scheduled_at": "2001-01-01T10:00"},
            "Choisissez un moment dans le futur.",
        ),
        ({"when": "later", "scheduled_at": "demain"}, "Saisissez une date et une heure valides."),
    ],
)
def test_send_page__bad_moments_are_refused_in_french(
    sender_client: Client, home_page: HomePage, topics: dict[str, Topic], data: dict, message: str
) -> None:
    page = make_issue(home_page, topics["actualites"])

    response = sender_client.post(send_url(page, "summary/"), data)

    assert response.status_code == 400
    assert message in page_text(response)
    assert crafted_confirm(sender_client, page, **data).status_code == 400
    assert not Send.objects.exists()


def test_unapproved_issue__button_disabled_with_the_reason_and_crafted_post_refused(
    sender_client: Client, home_page: HomePage, topics: dict[str, Topic]
) -> None:
    make_subscribers(2, topics["actualites"])
    page = make_issue(home_page, topics["actualites"], publish=False)

    response = sender_client.get(send_url(page))
    text = page_text(response)
    assert "L'envoi n'est pas possible" in text
    assert "doit être approuvée puis publiée" in text
    assert 'disabled aria-disabled="true">Envoyer' in text

    refused = crafted_confirm(sender_client, page)
    assert refused.status_code == 400
    assert "doit être approuvée puis publiée" in page_text(refused)
    assert sender_client.post(send_url(page, "summary/"), {"when": "now"}).status_code == 400
    assert not Send.objects.exists() and mail.outbox == []


def test_issue_edited_after_approval__cannot_be_sent_until_approved_again(
    sender_client: Client, home_page: HomePage, topics: dict[str, Topic]
) -> None:
    make_subscribers(2, topics["actualites"])
    page = make_issue(home_page, topics["actualites"])
    page.subject = "Objet changé après approbation"
    page.save_revision()

    text = page_text(sender_client.get(send_url(page)))
    assert "modifiée depuis son approbation" in text
    edit = page_text(sender_client.get(f"/admin/pages/{page.pk}/edit/"))
    assert "Envoi indisponible" in edit and "modifiée depuis son approbation" in edit

    refused = crafted_confirm(sender_client, page)
    assert refused.status_code == 400
    assert "modifiée depuis son approbation" in page_text(refused)
    assert not Send.objects.exists()

    page.get_latest_revision().publish()
    assert sending.sendability_problems(NewsletterPage.objects.get(pk=page.pk)) == []


def test_issue_in_review__cannot_be_sent(
    sender_client: Client, home_page: HomePage, topics: dict[str, Topic], sender: Any
) -> None:
    page = make_issue(home_page, topics["actualites"])
    workflow = Workflow.objects.create(name="Relecture")
    task = GroupApprovalTask.objects.create(name="Relecture de la rédaction")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    workflow.start(page, sender)

    refused = crafted_confirm(sender_client, page)

    assert refused.status_code == 400
    assert "relecture de la lettre est en cours" in page_text(refused)


def test_sent_issue__cannot_be_sent_a_second_time(
    sender_client: Client,
    home_page: HomePage,
    topics: dict[str, Topic],
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_subscribers(1, topics["actualites"])
    page = make_issue(home_page, topics["actualites"])
    with django_capture_on_commit_callbacks(execute=True):
        crafted_confirm(sender_client, page)

    again = crafted_confirm(sender_client, page)

    assert again.status_code == 400
    assert "déjà été envoyée" in page_text(again)
    assert len(mail.outbox) == 1


def test_editor_without_send_permission__is_refused(
    client: Client, editor: Any, home_page: HomePage, topics: dict[str, Topic]
) -> None:
    page = make_issue(home_page, topics["actualites"])
    client.force_login(editor)

    response = client.post(send_url(page, "confirm/"), {"when": "now"})

    # Wagtail answers a refused admin request with a redirect and a message.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not Send.objects.exists()


def test_send_test__goes_to_the_editor_and_the_test_addresses_through_the_outbox(
    sender_client: Client,
    home_page: HomePage,
    topics: dict[str, Topic],
    django_capture_on_commit_callbacks: Any,
) -> None:
    page = make_issue(home_page, topics["actualites"], publish=False)

    with django_capture_on_commit_callbacks(execute=True):
        response = sender_client.post(send_url(page, "test/"))

    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == [
        "redactrice@lecarburateur.fr",
        "relecture@lecarburateur.fr",
    ]
    assert all(m.subject == "[Test] Les nouvelles de mars" for m in mail.outbox)
    assert OutboxEmail.objects.filter(kind="newsletter_test", sent_at__isnull=False).count() == 2
    assert not Send.objects.exists()


def test_previews__show_the_latest_draft_as_html_and_text(
    sender_client: Client, home_page: HomePage, topics: dict[str, Topic]
) -> None:
    page = make_issue(home_page, topics["actualites"])
    page.title = "Titre en cours de rédaction"
    page.save_revision()

    html = sender_client.get(f"/admin/newsletters/issue/{page.pk}/preview/html/")
    text = sender_client.get(f"/admin/newsletters/issue/{page.pk}/preview/text/")

    assert html["Content-Type"].startswith("text/html")
    assert "Titre en cours de rédaction" in html.content.decode()
    assert text["Content-Type"].startswith("text/plain")
    assert "TITRE EN COURS DE RÉDACTION" in text.content.decode()


def test_progress_controls__pause_resume_cancel_over_http(
    sender_client: Client, home_page: HomePage, topics: dict[str, Topic]
) -> None:
    make_subscribers(2, topics["actualites"])
    page = make_issue(home_page, topics["actualites"])
    send = sending.create_send(page, None)  # on-commit not run: the send waits
    Send.objects.filter(pk=send.pk).update(status=Send.Status.SENDING)
    base = f"/admin/newsletters/send/{send.pk}/"

    assert 'http-equiv="refresh"' in page_text(sender_client.get(base))
    sender_client.post(base + "pause/")
    assert Send.objects.get(pk=send.pk).status == "paused"
    sender_client.post(base + "cancel/")
    assert Send.objects.get(pk=send.pk).status == "cancelled"
    assert sender_client.post(base + "explode/").status_code == 400
    assert 'http-equiv="refresh"' not in page_text(sender_client.get(base))


def running_send(home: HomePage, topic: Topic, *, sent: int, queued: int) -> Send:
    """A send started a minute ago: ``sent`` rows sent over the last 20 s (writing its ledger
    took the rest), ``queued`` left, one of them refused once by the server."""
    subscribers = make_subscribers(sent + queued, topic)
    send = sending.create_send(make_issue(home, topic), None)  # on-commit not run: no worker
    now = timezone.now()
    Send.objects.filter(pk=send.pk).update(
        status=Send.Status.SENDING, started_at=now - timedelta(seconds=60)
    )
    Delivery.objects.bulk_create(
        [
            Delivery(
                send=send,
                subscriber=subscriber,
                state=Delivery.State.SENT if number < sent else Delivery.State.QUEUED,
                sent_at=now - timedelta(seconds=20 - 20 * number / sent) if number < sent else None,
                last_error="421 Réessayez plus tard" if number == sent else "",
            )
            for number, subscriber in enumerate(subscribers)
        ]
    )
    send.refresh_from_db()
    return send


def counts_url(send: Send) -> str:
    return f"/admin/newsletters/send/{send.pk}/counts/"


def test_progress_counts__the_block_alone_with_rate_and_time_left_in_french(
    sender_client: Client, home_page: HomePage, topics: dict[str, Topic]
) -> None:
    with time_machine.travel(timezone.now(), tick=False):
        send = running_send(home_page, topics["actualites"], sent=60, queued=240)
        page = page_text(sender_client.get(f"/admin/newsletters/send/{send.pk}/"))
        response = sender_client.get(counts_url(send))

    # The page names the block its script refreshes, and loads that script.
    assert f'data-refresh-url="{counts_url(send)}"' in page and "js/send-progress.js" in page
    assert response.status_code == 200
    block = page_text(response).replace("\n", "")
    assert block.lstrip().startswith('<div class="send-progress-counts" data-status="sending">')
    assert "<html" not in block and "Mettre en pause" not in block  # the counts, not the page
    assert "Envoyés</th><td>60<" in block and "En attente</th><td>240<" in block
    assert "Nouvel essai prévu (refus temporaire du serveur)</th><td>1<" in block
    # 60 sent over the last 20 s (the send started a minute ago, its ledger written first):
    # 3 a second, so 240 left take 80 s.
    assert "Débit</th><td>3,0 courriels par seconde" in block
    assert "Temps restant estimé</th><td>environ 1 min 20 s<" in block


def test_progress_counts__refused_to_a_user_who_cannot_send_the_issue(
    client: Client, editor: Any, sender: Any, home_page: HomePage, topics: dict[str, Topic]
) -> None:
    send = running_send(home_page, topics["actualites"], sent=1, queued=1)

    anonymous = client.get(counts_url(send))
    client.force_login(editor)
    refused = client.get(counts_url(send))
    client.force_login(sender)
    allowed = client.get(counts_url(send))

    assert anonymous.status_code == 302 and "/admin/login/" in anonymous["Location"]
    # Wagtail answers a refused admin request with a redirect and a message.
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    assert allowed.status_code == 200 and "Envoyés" in page_text(allowed)


@pytest.mark.parametrize("ledger", [(3, 7), (300, 700)])
def test_progress_counts__a_fixed_number_of_queries_whatever_the_ledger(
    sender_client: Client,
    home_page: HomePage,
    topics: dict[str, Topic],
    django_assert_max_num_queries: Any,
    ledger: tuple[int, int],
) -> None:
    sent, queued = ledger
    send = running_send(home_page, topics["actualites"], sent=sent, queued=queued)

    # Site and root page, session, user, its permissions and profile (7); the send, the issue
    # and its page permissions (4); the progress' four counts, on indexes (4).
    with django_assert_max_num_queries(15):
        response = sender_client.get(counts_url(send))

    assert f"Envoyés</th><td>{sent}<" in page_text(response).replace("\n", "")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (None, ""),
        (2, "quelques secondes"),
        (42, "environ 40 s"),
        (58, "environ 1 min"),
        (200, "environ 3 min 20 s"),
        (1234, "environ 20 min 30 s"),
        (3599, "environ 1 h"),
        (7512, "environ 2 h 05 min"),
    ],
)
def test_time_left__reads_as_an_estimate_in_french(seconds: float | None, text: str) -> None:
    assert time_left(seconds) == text


def test_archive__lists_sent_issues_only_with_an_rss_feed(
    client: Client,
    home_page: HomePage,
    topics: dict[str, Topic],
    django_capture_on_commit_callbacks: Any,
) -> None:
    make_subscribers(1, topics["actualites"])
    sent = make_issue(home_page, topics["actualites"], title="Lettre envoyée")
    make_issue(home_page, topics["actualites"], title="Lettre pas encore envoyée")
    with django_capture_on_commit_callbacks(execute=True):
        sending.create_send(sent, None)
    index = newsletter_index(home_page)

    archive = page_text(client.get(index.url))
    feed = client.get(index.url + "rss/").content.decode()

    assert "Lettre envoyée" in archive and "pas encore envoyée" not in archive
    assert "<title>Lettre envoyée</title>" in feed and "pas encore" not in feed
    assert client.get(sent.url).status_code == 200


def postmark(client: Client, payload: dict) -> Any:
    auth = base64.b64encode(b"webhook:test-only-secret").decode()
    return client.post(
        "/anymail/postmark/tracking/",
        data=json.dumps(payload),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Basic {auth}",
    )


def test_webhooks__a_hard_bounce_suppresses_and_a_complaint_unsubscribes(
    client: Client, topics: dict[str, Topic]
) -> None:
    bounced, complained = make_subscribers(2, topics["actualites"])

    postmark(
        client,
        {
            "RecordType": "Bounce",
            "Type": "HardBounce",
            "Email": bounced.email,
            "MessageID": "a",
            "BouncedAt": "2025-03-01T10:00:00Z",
        },
    )
    response = postmark(
        client,
        {
            "RecordType": "SpamComplaint",
            "Type": "SpamComplaint",
            "Email": complained.email,
            "MessageID": "b",
            "BouncedAt": "2025-03-01T10:00:00Z",
        },
    )

    assert response.status_code == 200
    assert Suppression.objects.get(address_hash=bounced.email_hash).reason == "bounced"
    assert Suppression.objects.get(address_hash=complained.email_hash).reason == "complaint"
    complained.refresh_from_db()
    assert complained.status == Subscriber.Status.UNSUBSCRIBED
    assert list(Subscriber.objects.mailable("actualites")) == []


def test_webhooks__refuse_a_request_without_the_secret(client: Client) -> None:
    response = client.post(
        "/anymail/postmark/tracking/", data="{}", content_type="application/json"
    )

    assert response.status_code in {400, 401, 403}
    assert not Suppression.objects.exists()
