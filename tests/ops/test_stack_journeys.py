"""Whole journeys on the production stack, as the people involved live them, over real HTTP.

An editor writes a newsletter issue published jointly with the chamber; it goes through the
"Contenu conjoint" workflow (communications review, then the chamber), is sent from the admin
by the worker and reaches each confirmed subscriber once; a reader leaves with the one-click
unsubscribe of RFC 8058, and the next issue no longer reaches them. A visitor asks to be
reminded to vote in a contest, and beat and the worker send that reminder once when it is due.

Setup that a person would do by clicking through the admin (accounts, looking up page ids,
creating the contest) goes through ``manage.py shell``; every decision and every public action
goes through gunicorn. The stack is ``tests/ops/conftest.py``'s, started once for the module.
"""

from __future__ import annotations

import html
import json
import re
import time
from collections import Counter
from email.header import decode_header, make_header
from email.message import Message
from email.utils import mktime_tz, parsedate_tz
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from editorial.roles import CHAMBER, COMMUNICATION
from tests.services import (
    HttpAnswer,
    ServedStack,
    SmtpInbox,
    StackSession,
    form_fields,
    signup_form,
    text_body,
    wait_for,
)

pytestmark = pytest.mark.services

PASSWORD = "mot-de-passe-de-test-8c1f"  # accounts of a throw-away database
AUTHOR, REVIEWER, CHAMBER_APPROVER = "autrice", "relecteur", "chambre"
TOPIC = "formations-cma"
REMINDER_TICK_SECONDS = 2


@pytest.fixture(scope="module")
def stack_env() -> dict[str, str]:
    """Beat looks for due contest reminders every few seconds instead of every three minutes."""
    return {"NEWSLETTERS_REMINDERS_SECONDS": str(REMINDER_TICK_SECONDS)}


def shell(stack: ServedStack, code: str) -> Any:
    """Run ``code`` in ``manage.py shell`` on the stack; it prints one JSON line last."""
    output = stack.manage("shell", "-c", code)
    return json.loads(output.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def newsroom(stack: ServedStack) -> dict[str, Any]:
    """The editorial team's accounts, and the ids a person would find by browsing the admin."""
    roles = {AUTHOR: COMMUNICATION, REVIEWER: COMMUNICATION, CHAMBER_APPROVER: CHAMBER}
    return shell(
        stack,
        f"""
import json
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from newsletters.models import NewsletterIndexPage
from subscriptions.models import Topic
from programs.models import PartnerPage
for name, group in {roles!r}.items():
    user = get_user_model().objects.create_user(
        name, email=name + "@example.net", password={PASSWORD!r}, first_name=name.capitalize()
    )
    user.groups.add(Group.objects.get(name=group))
print(json.dumps({{
    "archive": NewsletterIndexPage.objects.get().pk,
    "cma": PartnerPage.objects.get(slug="cma").pk,
    "topic": Topic.objects.get(slug={TOPIC!r}).pk,
}}))
""",
    )


# ---------------------------------------------------------------------------- mail


def subject_of(message: Message) -> str:
    return str(make_header(decode_header(message["Subject"])))


def mail_to(inbox: SmtpInbox, address: str, subject: str = "") -> list[Message]:
    """Messages received for ``address`` (any, if empty) whose subject contains ``subject``."""
    with inbox.lock:
        messages = list(inbox.messages)
    return [
        message
        for message in messages
        if address in {"", message["To"]} and subject in subject_of(message)
    ]


def link_in(message: Message, path_prefix: str) -> str:
    """The path of the link to ``path_prefix…`` in the message's text."""
    links = re.findall(rf"https?://[^\s/]+({re.escape(path_prefix)}\S+)", text_body(message))
    assert links, f"Pas de lien {path_prefix} dans « {subject_of(message)} »"
    return links[0]


def wait_for_mail(inbox: SmtpInbox, address: str, subject: str) -> list[Message]:
    return wait_for(
        lambda: mail_to(inbox, address, subject), f"le courriel « {subject} » pour {address}"
    )


# ---------------------------------------------------------------------------- people


def subscribe(stack: ServedStack, inbox: SmtpInbox, email: str, topics: list[str]) -> str:
    """Sign up through the public form; return the emailed confirmation link's path."""
    data: dict[str, Any] = {**signup_form(stack.get("/newsletter/").text, email), "topics": topics}
    answer = stack.post(
        "/newsletter/",
        urlencode(data, doseq=True).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": stack.origin},
    )
    assert answer.status == 302, answer.text
    [message] = wait_for_mail(inbox, email, "Confirmez votre inscription")
    return link_in(message, "/newsletter/confirmer/")


def subscribe_and_confirm(
    stack: ServedStack, inbox: SmtpInbox, email: str, topics: list[str]
) -> None:
    # The link opens a page with one button; pressing it POSTs to the same address.
    link = subscribe(stack, inbox, email, topics)
    assert "Confirmer mon inscription" in stack.get(link).text
    confirmation = stack.post(link, b"", headers={"Origin": stack.origin})
    assert "Inscription confirmée" in confirmation.text


def signed_in(stack: ServedStack, username: str) -> StackSession:
    session = StackSession(stack)
    session.log_in(username, PASSWORD)
    return session


def write_joint_issue(
    author: StackSession, newsroom: dict[str, Any], title: str, subject: str
) -> None:
    """The author fills in the new issue form, marks it joint with the chamber, and submits it
    for review in the same click ("Soumettre à la relecture")."""
    add_url = f"/admin/pages/add/newsletters/newsletterpage/{newsroom['archive']}/"
    form_page = author.get(add_url)
    assert form_page.status == 200, form_page.status
    data = form_fields(form_page.text, "form#page-edit-form")
    data.update(
        nested_form_data(
            {
                "title": title,
                "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
                "subject": subject,
                "preheader": "Les rendez-vous de la Chambre de métiers",
                "topic": str(newsroom["topic"]),
                "joint_partner": str(newsroom["cma"]),
                "body": streamfield(
                    [
                        (
                            "text",
                            rich_text(
                                "<p>Réunions d'information et ateliers avec la CMA.</p>",
                                features=["bold", "italic", "link", "ol", "ul"],
                            ),
                        )
                    ]
                ),
            }
        )
    )
    data["action-submit"] = "1"
    answer = author.post(add_url, data)
    assert answer.status == 302, _errors(answer)


def _errors(answer: HttpAnswer) -> str:
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>(.*?)<', answer.text, re.S)
    return f"{answer.status}: {[e.strip() for e in errors if e.strip()][:10]}"


def approve_from_email(
    stack: ServedStack, inbox: SmtpInbox, username: str, notice: str, comment: str
) -> None:
    """The approver follows the link in the notification ``notice`` and presses "Approuver"."""
    [notice_mail] = wait_for_mail(inbox, f"{username}@example.net", notice)
    session = signed_in(stack, username)
    review_path = link_in(notice_mail, "/admin/editorial/validation/")
    review = session.get(review_path)
    assert review.status == 200, review.status
    data = form_fields(review.text, "form[action*='/workflow/action/'][action*='/approve/']")
    [action] = re.findall(r'action="(/admin/pages/workflow/action/\d+/approve/[^"]*)"', review.text)
    answer = session.post(action.replace("&amp;", "&"), {**data, "comment": comment})
    assert answer.status == 302, _errors(answer)


def issue_through_workflow(
    stack: ServedStack, inbox: SmtpInbox, newsroom: dict[str, Any], title: str, subject: str
) -> int:
    """Written, reviewed by communications, validated by the chamber, and so published:
    return the page's id, as the links in the notifications give it."""
    author = signed_in(stack, AUTHOR)
    write_joint_issue(author, newsroom, title, subject)
    approve_from_email(
        stack, inbox, REVIEWER, f"Contenu à relire : « {title} »", "Relu, rien à redire."
    )
    # Joint content: the communications review alone does not publish it.
    [page_id] = re.findall(
        r"/admin/pages/workflow/preview/(\d+)/",
        text_body(wait_for_mail(inbox, f"{CHAMBER_APPROVER}@example.net", title)[0]),
    )
    unsent = author.get(f"/admin/newsletters/issue/{page_id}/send/")
    assert "La lettre n'est pas publiée" in html.unescape(unsent.text)
    approve_from_email(
        stack,
        inbox,
        CHAMBER_APPROVER,
        f"Contenu conjoint à valider : « {title} »",
        "La Chambre valide.",
    )
    [approved] = wait_for_mail(inbox, f"{AUTHOR}@example.net", f"« {title} » est approuvé")
    assert f"/admin/pages/{page_id}/edit/" in text_body(approved)
    return int(page_id)


def send_issue(stack: ServedStack, page_id: int, recipients: int) -> None:
    """The author sends the approved issue now, from its sending page, and watches it end."""
    author = signed_in(stack, AUTHOR)
    send_page = author.get(f"/admin/newsletters/issue/{page_id}/send/")
    assert send_page.status == 200, send_page.status
    assert f"{recipients} destinataire" in send_page.text
    summary = author.post(
        f"/admin/newsletters/issue/{page_id}/send/summary/",
        {**form_fields(send_page.text, "form[action$='/send/summary/']"), "when": "now"},
    )
    assert summary.status == 200, _errors(summary)
    started = author.post(
        f"/admin/newsletters/issue/{page_id}/send/confirm/",
        form_fields(summary.text, "form[action$='/send/confirm/']"),
    )
    assert started.status == 302, _errors(started)
    progress_path = urlsplit(started.headers["Location"]).path
    wait_for(
        lambda: "État : <strong>terminé</strong>" in author.get(progress_path).text,
        f"la fin de l'envoi de la lettre {page_id}",
    )


def header(message: Message, name: str) -> str:
    """A header's raw value, unfolded (long headers are folded onto several lines)."""
    return " ".join(str(message[name]).split())


def assert_newsletter_headers(message: Message, address: str, subject: str) -> str:
    """Check what mail clients rely on; return the List-Unsubscribe URL."""
    assert header(message, "From") == "Le Carburateur <bonjour@lecarburateur.fr>"
    assert header(message, "To") == address
    assert subject_of(message) == subject
    assert re.fullmatch(
        r"<lettre\.\d+\.[0-9a-f]{24}@lecarburateur\.fr>", header(message, "Message-ID")
    )
    unsubscribe = re.fullmatch(r"<(https?://[^>\s]+)>", header(message, "List-Unsubscribe"))
    assert unsubscribe is not None, header(message, "List-Unsubscribe")
    assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    # The identifier filters match on is on the wire as is, whatever the topic's name.
    assert header(message, "List-Id").endswith(f" <{TOPIC}.lettres.lecarburateur.fr>")
    # "-0000" (Django's default) is UTC, time zone of the sender unsaid (RFC 5322 3.3).
    date = parsedate_tz(header(message, "Date"))
    assert date is not None
    assert abs(time.time() - mktime_tz(date)) < 600
    assert message.get_content_type() == "multipart/alternative"
    parts = [part.get_content_type() for part in message.walk() if not part.is_multipart()]
    assert parts == ["text/plain", "text/html"]
    assert unsubscribe[1] in text_body(message)  # the same personal link in the footer
    return unsubscribe[1]


def test_joint_issue__reviewed_validated_sent_once_each_then_one_click_unsubscribe_holds(
    stack: ServedStack, stack_smtp: SmtpInbox, newsroom: dict[str, Any]
) -> None:
    readers = ["ana@example.com", "benoit@example.com", "chloe@example.com"]
    for address, topics in zip(
        readers, [[TOPIC, "actualites"], [TOPIC], [TOPIC, "concours-votes"]], strict=True
    ):
        subscribe_and_confirm(stack, stack_smtp, address, topics)
    subscribe_and_confirm(stack, stack_smtp, "david@example.com", ["actualites"])
    subscribe(stack, stack_smtp, "eve@example.com", [TOPIC])  # never confirms

    first_subject = "Les ateliers de la CMA en juin"
    first = issue_through_workflow(stack, stack_smtp, newsroom, "Lettre CMA de juin", first_subject)
    send_issue(stack, first, recipients=len(readers))

    received = Counter(message["To"] for message in mail_to(stack_smtp, "", first_subject))
    assert received == Counter(readers)
    unsubscribe_urls = {
        address: assert_newsletter_headers(
            mail_to(stack_smtp, address, first_subject)[0], address, first_subject
        )
        for address in readers
    }

    # Chloé's mail client unsubscribes her in one click: a bare POST, as RFC 8058 says.
    url = urlsplit(unsubscribe_urls["chloe@example.com"])
    one_click = stack.post(
        url.path,
        b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert one_click.status == 200, one_click.text
    assert "Vous êtes désinscrit·e" in one_click.text
    assert one_click.headers["Set-Cookie"] is None

    second_subject = "Les ateliers de la CMA en juillet"
    second = issue_through_workflow(
        stack, stack_smtp, newsroom, "Lettre CMA de juillet", second_subject
    )
    send_issue(stack, second, recipients=len(readers) - 1)

    received = Counter(message["To"] for message in mail_to(stack_smtp, "", second_subject))
    assert received == Counter(["ana@example.com", "benoit@example.com"])


# ---------------------------------------------------------------------------- reminders


def beat_dispatches(stack: ServedStack) -> int:
    """How many times the worker has run the reminders' beat task so far."""
    return len(
        re.findall(
            r"Task newsletters\.reminders\.dispatch_contest_reminders\[[^]]+\] succeeded",
            stack.log.read_text(errors="replace"),
        )
    )


def test_contest_reminder__due_slot_is_sent_once_by_beat_and_the_worker(
    stack: ServedStack, stack_smtp: SmtpInbox
) -> None:
    opens_in = 20
    contest = shell(
        stack,
        f"""
import json
from datetime import timedelta
from django.utils import timezone
from programs.models import ContestIndexPage, ContestPage
opens = timezone.now() + timedelta(seconds={opens_in})
contest = ContestPage(
    title="Prix des métiers du 15e",
    slug="prix-des-metiers-du-15e",
    organiser="Mairie de secteur",
    vote_url="https://vote.example.org/",
    vote_opens_at=opens,
    vote_closes_at=opens + timedelta(days=3),
    reminder_plan=json.dumps([{{"type": "slot", "value": {{"moment": "ouverture"}}}}]),
)
ContestIndexPage.objects.get().add_child(instance=contest)
contest.save_revision().publish()
print(json.dumps({{"id": contest.pk, "opens_at": opens.timestamp()}}))
""",
    )
    address = "fatou@example.com"
    form_path = f"/newsletter/rappel/{contest['id']}/"
    form = form_fields(stack.get(form_path).text, "form.reminder-signup")
    asked = stack.post(
        form_path,
        urlencode({**form, "email": address, "consent": "on"}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Origin": stack.origin},
    )
    assert asked.status == 302, asked.text
    [follow] = wait_for_mail(stack_smtp, address, "Confirmez votre rappel de vote")
    confirmation_link = link_in(follow, "/newsletter/rappel/confirmer/")
    assert "Confirmer le rappel" in stack.get(confirmation_link).text
    confirmed = stack.post(confirmation_link, b"", headers={"Origin": stack.origin})
    assert confirmed.status == 200
    assert time.time() < contest["opens_at"], "confirmé trop tard : le rappel était déjà parti"

    subject = "Votez pour nos résidents : Prix des métiers du 15e"
    [reminder] = wait_for_mail(stack_smtp, address, subject)
    assert time.time() >= contest["opens_at"]  # not before its time
    assert reminder["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    # Several more passes of beat find the slot already sent: no second copy.
    seen = beat_dispatches(stack)
    wait_for(lambda: beat_dispatches(stack) >= seen + 3, "trois passages de beat de plus")
    assert len(mail_to(stack_smtp, address, subject)) == 1
