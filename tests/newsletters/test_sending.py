"""Sending an issue in-process (eager tasks, locmem mail): rendering, audience, ledger, controls."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from email.header import decode_header, make_header
from typing import Any

import pytest

from django.core import mail
from django.test import Client
from django.utils import timezone

from home.models import HomePage
from mailing.models import Suppression
from mailing.text import html_to_text
from members.models import MemberPage
from newsletters import sending
from newsletters.models import Delivery, NewsletterPage, Send
from newsletters.rendering import message_id
from newsletters.sending import chunks
from subscriptions.models import Subscriber, Topic
from subscriptions.services import unsubscribe
from tests.factories.members import MemberPageFactory
from tests.factories.newsletters import text_block
from tests.factories.pages import ImageFactory

from .issues import make_issue, make_subscribers

pytestmark = pytest.mark.django_db


@pytest.fixture
def send_now(django_capture_on_commit_callbacks: Any) -> Callable[..., Send]:
    """Create a send and run it to the end, as the worker would, in this process."""

    def _send_now(page: NewsletterPage, user: Any = None) -> Send:
        with django_capture_on_commit_callbacks(execute=True):
            send = sending.create_send(page, user)
        send.refresh_from_db()
        return send

    return _send_now


@pytest.fixture
def resident(home_page: HomePage) -> MemberPage:
    return MemberPageFactory(
        title="Atelier Mistral",
        slug="atelier-mistral",
        company_name="Atelier Mistral",
        summary="Ébénisterie et mobilier sur mesure.",
        logo=ImageFactory(title="Logo Mistral"),
        revision=True,
    )


@pytest.fixture
def rich_issue(home_page: HomePage, topics: dict[str, Topic], resident: MemberPage) -> Any:
    image = ImageFactory(title="Atelier")
    body = [
        {"type": "heading", "value": {"text": "À la une", "level": "h2"}},
        text_block(
            f'<p>Découvrez <a linktype="page" id="{resident.pk}">un résident</a> et '
            '<a href="https://www.cma-paca.fr/">la CMA</a>.</p><ul><li>Premier point</li></ul>'
        ),
        {
            "type": "image",
            "value": {
                "image": image.pk,
                "decorative": False,
                "alt_text": "Deux artisans au travail",
            },
        },
        {
            "type": "call_to_action",
            "value": {"text": "S'inscrire à l'atelier", "page": None, "url": "https://x.fr/a"},
        },
        {"type": "cards", "value": {"heading": "Nos résidents", "pages": [resident.pk]}},
    ]
    return make_issue(home_page, topics["actualites"], body=body)


def parts(message: mail.EmailMultiAlternatives) -> tuple[str, str]:
    return message.body, message.alternatives[0][0]


def test_email__html_is_table_based_with_inlined_css_and_absolute_links_and_images(
    rich_issue: NewsletterPage, topics: dict[str, Topic], send_now: Callable[..., Send]
) -> None:
    make_subscribers(1, topics["actualites"])

    send_now(rich_issue)

    [message] = mail.outbox
    _text, html = parts(message)
    assert '<table role="presentation"' in html
    assert re.search(r'<td class="content" style="[^"]*padding', html), "CSS must be inlined"
    assert "@media only screen" in html  # responsive rules are kept for clients that read them
    assert "http://testserver/residents/atelier-mistral/" in html
    assert 'href="https://www.cma-paca.fr/"' in html
    assert 'href="https://x.fr/a"' in html
    sources = re.findall(r'<img src="([^"]+)"', html)
    # The logo of the shared layout, then the issue's image and its card's.
    assert sources[0] == "http://testserver/static/img/logo-email.png"
    assert len(sources[1:]) == 2
    assert all(source.startswith("http://testserver/media/") for source in sources[1:])
    assert 'alt="Deux artisans au travail"' in html
    assert not re.search(r'(?:href|src)="/', html), "no relative link or image"
    assert "Voir cette lettre dans votre navigateur" in html
    assert f"http://testserver{rich_issue.url}" in html
    assert "lecteur0@example.fr" in html
    assert "Trois rendez-vous et un concours" in html  # the preheader


def test_email__text_alternative_comes_from_the_same_blocks(
    rich_issue: NewsletterPage, topics: dict[str, Topic], send_now: Callable[..., Send]
) -> None:
    make_subscribers(1, topics["actualites"])

    send_now(rich_issue)

    text, _html = parts(mail.outbox[0])
    assert "À LA UNE" in text
    assert "Découvrez un résident (http://testserver/residents/atelier-mistral/)" in text
    assert "- Premier point" in text
    assert "[Image : Deux artisans au travail]" in text
    assert ">> S'inscrire à l'atelier : https://x.fr/a" in text
    assert "* Atelier Mistral (Page résident)" in text or "* Atelier Mistral (" in text
    assert "Ébénisterie et mobilier sur mesure." in text
    assert f"navigateur : http://testserver{rich_issue.url}" in text
    assert "<" not in text.replace("<<", "")


def test_email__list_id_keeps_its_identifier_unencoded_when_the_topic_name_is_not_ascii(
    home_page: HomePage, topics: dict[str, Topic], send_now: Callable[..., Send]
) -> None:
    # RFC 2919: only the name may be an RFC 2047 encoded-word; mail clients and filters match
    # on the identifier between angle brackets, which must stay readable on the wire.
    topic = topics["formations-cma"]
    assert not topic.name.isascii()
    make_subscribers(1, topic)
    send_now(make_issue(home_page, topic))

    [message] = mail.outbox
    raw = message.message().as_bytes()
    [header] = re.findall(rb"^List-Id:(.*(?:\r?\n[ \t].*)*)", raw, re.MULTILINE)

    assert b"<formations-cma.lettres.lecarburateur.fr>" in header
    assert str(make_header(decode_header(header.decode()))) == (
        f"{topic.name} <formations-cma.lettres.lecarburateur.fr>"
    )


def test_email__headers_unsubscribe_in_one_click_and_identify_the_list_and_message(
    home_page: HomePage,
    topics: dict[str, Topic],
    send_now: Callable[..., Send],
    client: Client,
) -> None:
    first, second = make_subscribers(2, topics["actualites"])
    send = send_now(make_issue(home_page, topics["actualites"]))

    by_address = {message.to[0]: message for message in mail.outbox}
    message = by_address[first.email]
    headers = message.extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert str(make_header(decode_header(headers["List-Id"]))) == (
        f"{topics['actualites'].name} <actualites.lettres.lecarburateur.fr>"
    )
    assert headers["Message-ID"] == message_id(send.pk, first.pk)
    assert headers["Message-ID"] == message_id(send.pk, first.pk)  # stable
    assert headers["Message-ID"] != by_address[second.email].extra_headers["Message-ID"]
    assert "Message-ID" in str(message.message())
    unsubscribe_url = re.fullmatch(r"<(https?://[^>]+)>", headers["List-Unsubscribe"]).group(1)
    assert unsubscribe_url in message.body  # the same personal link in the footer

    response = client.post(unsubscribe_url.replace("http://testserver", ""))

    assert response.status_code == 200
    first.refresh_from_db()
    assert first.status == Subscriber.Status.UNSUBSCRIBED


def test_audience__only_confirmed_subscribers_of_the_topic_receive_the_issue(
    home_page: HomePage, topics: dict[str, Topic], send_now: Callable[..., Send]
) -> None:
    news, other = (
        topics["actualites"],
        next(t for slug, t in topics.items() if slug != "actualites"),
    )
    make_subscribers(3, news, prefix="oui")
    make_subscribers(2, news, prefix="attente", status=Subscriber.Status.PENDING)
    make_subscribers(2, other, prefix="autre")
    [gone] = make_subscribers(1, news, prefix="parti")
    unsubscribe(gone, source="test", client_network="")
    [blocked] = make_subscribers(1, news, prefix="bloque")
    Suppression.objects.create(address_hash=blocked.email_hash, reason="bounced")

    send = send_now(make_issue(home_page, news))

    assert sorted(m.to[0] for m in mail.outbox) == [f"oui{n}@example.fr" for n in range(3)]
    assert send.status == Send.Status.DONE
    assert send.recipient_count == 3
    assert Delivery.objects.filter(send=send, state=Delivery.State.SENT).count() == 3


def test_ledger__an_address_unsubscribed_after_the_ledger_was_written_is_not_mailed(
    home_page: HomePage, topics: dict[str, Topic], django_capture_on_commit_callbacks: Any
) -> None:
    subscribers = make_subscribers(3, topics["actualites"])
    page = make_issue(home_page, topics["actualites"])
    send = sending.create_send(page, None)
    with django_capture_on_commit_callbacks(execute=False):
        assert sending.start_send(send.pk)
    unsubscribe(subscribers[1], source="test", client_network="")
    first, last = (
        Delivery.objects.filter(send=send).order_by("pk").values_list("pk", flat=True)[::2]
    )

    result = sending.send_chunk(send.pk, first, last)

    assert (result.sent, result.suppressed) == (2, 1)
    assert subscribers[1].email not in [m.to[0] for m in mail.outbox]
    assert Delivery.objects.get(send=send, subscriber=subscribers[1]).state == "suppressed"


def test_ledger__running_a_chunk_again_sends_nothing_twice(
    home_page: HomePage, topics: dict[str, Topic], send_now: Callable[..., Send]
) -> None:
    make_subscribers(5, topics["actualites"])
    send = send_now(make_issue(home_page, topics["actualites"]))
    ids = list(Delivery.objects.filter(send=send).values_list("pk", flat=True))
    Send.objects.filter(pk=send.pk).update(status=Send.Status.SENDING)

    again = sending.send_chunk(send.pk, min(ids), max(ids))

    assert again.sent == 0
    assert len(mail.outbox) == 5


def test_ledger__a_row_whose_worker_died_mid_send_is_sent_once_its_lease_runs_out(
    home_page: HomePage, topics: dict[str, Topic], django_capture_on_commit_callbacks: Any
) -> None:
    [subscriber] = make_subscribers(1, topics["actualites"])
    send = sending.create_send(make_issue(home_page, topics["actualites"]), None)
    with django_capture_on_commit_callbacks(execute=False):
        sending.start_send(send.pk)
    row = Delivery.objects.get(send=send)
    # A worker claimed the row, then was killed before the ledger said "sent".
    Delivery.objects.filter(pk=row.pk).update(
        state="sending", claimed_until=timezone.now() + timedelta(minutes=5)
    )

    assert sending.send_chunk(send.pk, row.pk, row.pk).sent == 0  # still someone else's
    Delivery.objects.filter(pk=row.pk).update(claimed_until=timezone.now() - timedelta(seconds=1))
    assert sending.send_chunk(send.pk, row.pk, row.pk).sent == 1
    assert [m.to[0] for m in mail.outbox] == [subscriber.email]


def test_send__renders_the_recorded_revision_not_the_page_row(
    home_page: HomePage, topics: dict[str, Topic], send_now: Callable[..., Send]
) -> None:
    make_subscribers(1, topics["actualites"])
    page = make_issue(home_page, topics["actualites"], subject="Objet approuvé")
    NewsletterPage.objects.filter(pk=page.pk).update(subject="Objet jamais approuvé")

    send = send_now(NewsletterPage.objects.get(pk=page.pk))

    assert send.revision_id == page.live_revision_id
    assert mail.outbox[0].subject == "Objet approuvé"


def test_scheduled_send__is_cancelled_if_the_issue_was_edited_before_its_time(
    home_page: HomePage, topics: dict[str, Topic], django_capture_on_commit_callbacks: Any
) -> None:
    make_subscribers(2, topics["actualites"])
    page = make_issue(home_page, topics["actualites"])
    send = sending.create_send(page, None, timezone.now() + timedelta(hours=1))
    page.subject = "Modifié sans approbation"
    page.save_revision()
    Send.objects.filter(pk=send.pk).update(scheduled_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        sending.tick()

    send.refresh_from_db()
    assert send.status == Send.Status.CANCELLED
    assert "modifiée" in send.status_message
    assert mail.outbox == []


def test_scheduled_send__starts_when_due_by_the_beat_tick(
    home_page: HomePage, topics: dict[str, Topic], django_capture_on_commit_callbacks: Any
) -> None:
    make_subscribers(2, topics["actualites"])
    send = sending.create_send(
        make_issue(home_page, topics["actualites"]), None, timezone.now() + timedelta(hours=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        sending.tick()
    assert mail.outbox == []

    Send.objects.filter(pk=send.pk).update(scheduled_at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        sending.tick()

    send.refresh_from_db()
    assert send.status == Send.Status.DONE
    assert len(mail.outbox) == 2


def _started(home: HomePage, topic: Topic, count: int, capture: Any) -> tuple[Send, list[int]]:
    """A send to ``count`` new subscribers whose ledger is written but no chunk has run;
    returns it with its ledger's row ids."""
    make_subscribers(count, topic)
    send = sending.create_send(make_issue(home, topic), None)
    with capture(execute=False):
        sending.start_send(send.pk)
    send.refresh_from_db()
    ids = list(Delivery.objects.filter(send=send).order_by("pk").values_list("pk", flat=True))
    return send, ids


def test_pause__a_chunk_stops_and_gives_its_rows_back_then_resume_finishes(
    home_page: HomePage,
    topics: dict[str, Topic],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    send, ids = _started(home_page, topics["actualites"], 6, django_capture_on_commit_callbacks)
    monkeypatch.setattr(chunks, "STATUS_CHECK_SECONDS", 0.0)
    original = chunks._Chunk.send_one

    def pause_after_two(chunk: Any, *args: Any) -> bool:
        result = original(chunk, *args)
        if chunk.result.sent == 2:
            sending.pause(send)
        return result

    monkeypatch.setattr(chunks._Chunk, "send_one", pause_after_two)
    sending.send_chunk(send.pk, ids[0], ids[-1])

    send.refresh_from_db()
    assert send.status == Send.Status.PAUSED
    assert len(mail.outbox) == 2
    assert Delivery.objects.filter(send=send, state="queued", claim_token=None).count() == 4
    assert sending.send_chunk(send.pk, ids[0], ids[-1]).sent == 0  # paused: nothing leaves

    monkeypatch.setattr(chunks._Chunk, "send_one", original)
    with django_capture_on_commit_callbacks(execute=True):
        assert sending.resume(send)

    send.refresh_from_db()
    assert send.status == Send.Status.DONE
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        Subscriber.objects.values_list("email", flat=True)
    )


def test_cancel__nobody_else_gets_the_issue(
    home_page: HomePage, topics: dict[str, Topic], django_capture_on_commit_callbacks: Any
) -> None:
    send, ids = _started(home_page, topics["actualites"], 4, django_capture_on_commit_callbacks)
    sending.send_chunk(send.pk, ids[0], ids[0])

    assert sending.cancel(send)
    assert sending.send_chunk(send.pk, ids[0], ids[-1]).sent == 0
    assert len(mail.outbox) == 1
    assert Delivery.objects.filter(send=send, state="cancelled").count() == 3
    assert not sending.resume(send)


def test_progress__counts_rate_and_time_left(
    home_page: HomePage, topics: dict[str, Topic], django_capture_on_commit_callbacks: Any
) -> None:
    send, ids = _started(home_page, topics["actualites"], 4, django_capture_on_commit_callbacks)
    sending.send_chunk(send.pk, ids[0], ids[1])

    progress = sending.progress(send)

    assert (progress.total, progress.sent, progress.queued, progress.failed) == (4, 2, 2, 0)
    assert progress.rate > 0
    assert progress.eta_seconds is not None and progress.eta_seconds > 0
    assert progress.done_percent == 50


def test_html_to_text__keeps_links_and_lists_readable() -> None:
    text = html_to_text(
        '<p>Voir <a href="https://a.fr/x">ici</a>.</p><ul><li>Un</li><li>Deux</li></ul>'
    )

    assert text == "Voir ici (https://a.fr/x).\n\n- Un\n- Deux"
