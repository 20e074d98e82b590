"""Turning an issue into email: rendered once per send, personalised per recipient.

``render_issue`` does the expensive part once (templates, image renditions, CSS inlining with
css-inline, absolute links, the plain-text alternative from the same blocks) and leaves
placeholders for what differs per person. ``build_message`` fills them in with plain string
replacement, so a worker's cost per recipient is little more than building the MIME message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import formataddr, parseaddr
from html import escape
from typing import Any
from uuid import UUID, uuid4

import css_inline

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from mailing.text import html_to_text
from subscriptions.emails import absolute_url
from subscriptions.tokens import make_personal_token

from .models import NewsletterPage

# Placeholders survive templates, css-inline and HTML escaping unchanged.
EMAIL_MARK = "NLX-EMAIL-NLX"
PREFERENCES_MARK = "NLX-PREFERENCES-NLX"
UNSUBSCRIBE_MARK = "NLX-UNSUBSCRIBE-NLX"
CARD_IMAGE_SPEC = "fill-1120x630"
IMAGE_SPEC = "width-1120"
PREVIEW_ADDRESS = "votre.adresse@exemple.fr"

_inliner = css_inline.CSSInliner(keep_style_tags=False, keep_at_rules=True)
_RELATIVE_LINK = re.compile(r'(\b(?:href|src)=")/(?!/)')


@dataclass(frozen=True)
class Card:
    """A page of the site as a newsletter card shows it."""

    title: str
    kind: str
    url: str
    summary: str
    meta: str
    image_url: str


@dataclass(frozen=True)
class RenderedIssue:
    """An issue ready to be personalised: both bodies carry the placeholders above."""

    subject: str
    html: str
    text: str
    web_url: str
    list_id: str


def absolutise(html: str) -> str:
    """Make every site-relative link and image source absolute, as mail clients need."""
    base = absolute_url("/").rstrip("/")
    return _RELATIVE_LINK.sub(lambda match: f"{match.group(1)}{base}/", html)


def absolute(url: str) -> str:
    """``url`` as is if it names a host, else on the site's base address."""
    return absolute_url(url) if url.startswith("/") and not url.startswith("//") else url


def page_url(page: Page) -> str:
    return absolute(page.get_url() or "")


def card_for(page: Page) -> Card:
    """What a card shows, from whichever of the usual fields the page type has."""
    summary = next(
        (
            str(value)
            for name in ("summary", "introduction", "search_description")
            if (value := getattr(page, name, ""))
        ),
        "",
    )
    meta = ""
    if start := getattr(page, "start", None):
        meta = formats.date_format(timezone.localtime(start), "l j F Y, H\\hi")
    elif closes := getattr(page, "vote_closes_at", None):
        meta = _("Votes jusqu'au %(date)s") % {
            "date": formats.date_format(timezone.localtime(closes), "j F Y")
        }
    image = getattr(page, "listing_image", None) or getattr(page, "logo", None)
    image_url = ""
    if image is not None:
        image_url = absolute(image.get_rendition(CARD_IMAGE_SPEC).url)
    return Card(
        title=page.title,
        kind=str(page._meta.verbose_name).capitalize(),
        url=page_url(page),
        summary=" ".join(summary.split())[:300],
        meta=meta,
        image_url=image_url,
    )


def _cards(value: Any) -> list[Card]:
    pages = [page.specific for page in value["pages"] if page is not None and page.live]
    return [card_for(page) for page in pages]


def _cta_url(value: Any) -> str:
    return page_url(value["page"]) if value.get("page") else value.get("url", "")


def _blocks(page: NewsletterPage) -> list[dict[str, Any]]:
    """The body as plain data both the HTML and the text templates can use."""
    blocks: list[dict[str, Any]] = []
    for block in page.body:
        kind, value = block.block_type, block.value
        if kind == "heading":
            blocks.append({"type": kind, "text": value["text"], "level": value["level"]})
        elif kind == "text":
            html = absolutise(expand_db_html(value.source))
            blocks.append({"type": kind, "html": html, "text": html_to_text(html)})
        elif kind == "image":
            rendition = value.get_rendition(IMAGE_SPEC)
            blocks.append(
                {
                    "type": kind,
                    "url": absolute(rendition.url),
                    "alt": value.contextual_alt_text or getattr(value, "default_alt_text", ""),
                    "decorative": getattr(value, "decorative", False),
                }
            )
        elif kind == "call_to_action":
            blocks.append({"type": kind, "text": value["text"], "url": _cta_url(value)})
        elif kind == "cards":
            cards = _cards(value)
            if cards:
                blocks.append({"type": kind, "heading": value["heading"], "cards": cards})
    return blocks


def list_id(page: NewsletterPage) -> str:
    """The List-Id header (RFC 2919): the topic's name, then its identifier in angle brackets.

    A name that is not ASCII is encoded on its own (RFC 2047). Left to the mail library, the
    whole value would become one encoded-word and the identifier that filters match on,
    ``<slug.domain>``, would no longer appear on the wire.
    """
    topic = page.topic
    return formataddr((topic.name, f"{topic.slug}.{settings.NEWSLETTERS_LIST_ID_DOMAIN}"), "utf-8")


def render_issue(page: NewsletterPage) -> RenderedIssue:
    """Render ``page`` (a revision's object when sending) once, with placeholders."""
    web_url = page_url(page)
    context = {
        "page": page,
        "subject": page.subject,
        "preheader": page.preheader,
        "topic": page.topic,
        "blocks": _blocks(page),
        "web_url": web_url,
        "site_name": settings.WAGTAIL_SITE_NAME,
        "site_url": absolute_url("/"),
        "email": EMAIL_MARK,
        "preferences_url": PREFERENCES_MARK,
        "unsubscribe_url": UNSUBSCRIBE_MARK,
    }
    html = _inliner.inline(absolutise(render_to_string("newsletters/emails/issue.html", context)))
    text = render_to_string("newsletters/emails/issue.txt", context)
    return RenderedIssue(
        subject=page.subject,
        html=html,
        text=re.sub(r"\n{3,}", "\n\n", text).strip() + "\n",
        web_url=web_url,
        list_id=list_id(page),
    )


def _link_templates() -> tuple[str, str]:
    return (
        absolute_url(reverse("subscriptions:preferences", args=["TOKEN"])),
        absolute_url(reverse("subscriptions:unsubscribe", args=["TOKEN"])),
    )


def message_id(send_id: int, subscriber_id: int) -> str:
    """The same Message-ID for the same send and subscriber, however often it is built.

    A copy sent again after a crash (see docs/exactly-once.md) carries the same id, which
    lets mail systems that deduplicate on it drop the second one.
    """
    digest = salted_hmac("newsletters.message-id", f"{send_id}:{subscriber_id}").hexdigest()
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<lettre.{send_id}.{digest[:24]}@{domain}>"


class Personaliser:
    """Builds each recipient's message from one rendered issue."""

    def __init__(self, issue: RenderedIssue, *, subject_prefix: str = "") -> None:
        self.issue = issue
        self.subject = f"{subject_prefix}{issue.subject}"
        self.preferences_template, self.unsubscribe_template = _link_templates()

    def build(
        self, address: str, public_id: UUID, *, message_id: str | None = None
    ) -> EmailMultiAlternatives:
        token = make_personal_token(public_id)
        preferences = self.preferences_template.replace("TOKEN", token)
        unsubscribe = self.unsubscribe_template.replace("TOKEN", token)
        html = (
            self.issue.html.replace(EMAIL_MARK, escape(address))
            .replace(PREFERENCES_MARK, escape(preferences))
            .replace(UNSUBSCRIBE_MARK, escape(unsubscribe))
        )
        text = (
            self.issue.text.replace(EMAIL_MARK, address)
            .replace(PREFERENCES_MARK, preferences)
            .replace(UNSUBSCRIBE_MARK, unsubscribe)
        )
        headers = {
            "List-Unsubscribe": f"<{unsubscribe}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "List-Id": self.issue.list_id,
            "Precedence": "bulk",
        }
        if message_id:
            headers["Message-ID"] = message_id
        message = EmailMultiAlternatives(
            subject=self.subject,
            body=text,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[address],
            headers=headers,
        )
        message.attach_alternative(html, "text/html")
        return message


def preview_response(page: NewsletterPage, *, html: bool) -> HttpResponse:
    """The email as a reader would get it, for the admin preview (not a real person's links)."""
    message = Personaliser(render_issue(page)).build(PREVIEW_ADDRESS, uuid4())
    if html:
        return HttpResponse(message.alternatives[0][0], content_type="text/html; charset=utf-8")
    return HttpResponse(message.body, content_type="text/plain; charset=utf-8")


def test_messages(page: NewsletterPage, addresses: list[str]) -> list[EmailMultiAlternatives]:
    """One message per test address, marked as a test in the subject."""
    personaliser = Personaliser(render_issue(page), subject_prefix=_("[Test] "))
    return [personaliser.build(address, uuid4()) for address in addresses]
