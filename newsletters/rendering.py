"""Turning an issue into email: rendered once per send, personalised per recipient.

``render_issue`` does the expensive part once (templates, image renditions, absolute links, the
plain-text alternative from the same blocks) and leaves
placeholders for what differs per person. ``build_message`` fills them in with plain string
replacement, so a worker's cost per recipient is little more than building the MIME message.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from email import quoprimime
from email.message import Message
from email.policy import compat32
from email.utils import formataddr, formatdate, parseaddr
from functools import lru_cache
from html import escape
from typing import Any, cast
from uuid import UUID, uuid4

import css_inline

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import (
    SafeMIMEMultipart,
    forbid_multi_line_headers,
    sanitize_address,
)
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from wagtail.models import Page
from wagtail.rich_text import expand_db_html

from mailing.pipelining import WireMessage
from mailing.text import html_to_text
from subscriptions.emails import absolute_url, layout_context
from subscriptions.tokens import make_personal_token

from .models import NewsletterPage

# Placeholders survive templates, css-inline and HTML escaping unchanged.
EMAIL_MARK = "NLX-EMAIL-NLX"
PREFERENCES_MARK = "NLX-PREFERENCES-NLX"
UNSUBSCRIBE_MARK = "NLX-UNSUBSCRIBE-NLX"
CARD_IMAGE_SPEC = "fill-1120x630"
IMAGE_SPEC = "width-1120"
PREVIEW_ADDRESS = "votre.adresse@exemple.fr"

# The layout (newsletters/emails/base.html) writes its styles inline; what css-inline still does
# is give the links of the editors' rich text the layout's colour (its one rule besides
# @media, which stays in <style> for the clients that read it).
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
        **layout_context(),
        "page": page,
        "subject": page.subject,
        "preheader": page.preheader,
        "topic": page.topic,
        "blocks": _blocks(page),
        "web_url": web_url,
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
    return f"<lettre.{send_id}.{digest[:24]}@{_domain_of(settings.DEFAULT_FROM_EMAIL)}>"


@lru_cache(maxsize=4)
def _domain_of(from_email: str) -> str:
    # Parsed once: a send asks for one Message-ID per recipient.
    return parseaddr(from_email)[1].rpartition("@")[2] or "localhost"


class Personaliser:
    """Builds each recipient's message from one rendered issue."""

    def __init__(self, issue: RenderedIssue, *, subject_prefix: str = "") -> None:
        self.issue = issue
        self.subject = f"{subject_prefix}{issue.subject}"
        self.preferences_template, self.unsubscribe_template = _link_templates()

    def links(self, public_id: UUID) -> tuple[str, str]:
        """The recipient's preferences and unsubscribe addresses."""
        token = make_personal_token(public_id)
        return (
            self.preferences_template.replace("TOKEN", token),
            self.unsubscribe_template.replace("TOKEN", token),
        )

    def build(
        self, address: str, public_id: UUID, *, message_id: str | None = None
    ) -> EmailMultiAlternatives:
        preferences, unsubscribe = self.links(public_id)
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
        return self._message(address, text, html, f"<{unsubscribe}>", message_id)

    def _message(
        self, address: str, text: str, html: str, list_unsubscribe: str, message_id: str | None
    ) -> EmailMultiAlternatives:
        headers = {
            "List-Unsubscribe": list_unsubscribe,
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

    def skeleton(self) -> Skeleton:
        """The message serialised once, for sending many copies (``Skeleton.fill``)."""
        return Skeleton(self)


# Per-recipient gaps in a skeleton: whole header lines, and values in the text (T) and HTML (H)
# parts. ASCII letters and hyphens only, which quoted-printable leaves as they are.
_HEADER_GAPS = {
    "To": "NLX-HDR-TO-NLX",
    "Date": "NLX-HDR-DATE-NLX",
    "Message-ID": "NLX-HDR-MESSAGEID-NLX",
    "List-Unsubscribe": "NLX-HDR-UNSUBSCRIBE-NLX",
}
_BODY_MARKS = {
    "EMAIL": EMAIL_MARK,
    "PREFERENCES": PREFERENCES_MARK,
    "UNSUBSCRIBE": UNSUBSCRIBE_MARK,
}
_GAP = re.compile(rb"(?m)^[A-Za-z-]+: (NLX-HDR-[A-Z]+-NLX)\r\n|(NLX-[TH]-[A-Z]+-NLX)")
_WIRE_POLICY = compat32.clone(linesep="\r\n")
# Quoted-printable for each byte: printable ASCII as itself; "=", ".", space and the rest
# encoded. Every dot encoded (valid, if unusual) means no line can start with one, which SMTP
# would otherwise need doubled; a space is safe anywhere once encoded.
_QP_ESCAPES = {b: f"={b:02X}" for b in range(256) if not 33 <= b <= 126 or b in (46, 61)}
_QP_LINE = 75  # 76 with the soft line break's "="
# Header values the generator writes as they are (ASCII, nothing to fold at: see _header).
_UNFOLDED = re.compile(r"[!-+\--:<-~]+")
# Addresses sanitize_address returns unchanged: plain ASCII dot-atoms (its parser is costly).
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9_+-]+(?:\.[A-Za-z0-9_+-]+)*@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+"
)


def quoted_printable(value: str, charset: str = "utf-8") -> bytes:
    """``value`` quoted-printable (RFC 2045), in lines of at most 76 characters joined by soft
    line breaks, with no line starting with a dot."""
    # As email.charset does: the bytes, each as one character, then one C-level translate.
    encoded = value.encode(charset).decode("latin-1").translate(_QP_ESCAPES)
    lines: list[str] = []
    while len(encoded) > _QP_LINE:
        # Cut before an escape ("=XX") that would straddle the end of the line.
        cut = encoded.rfind("=", _QP_LINE - 2, _QP_LINE)
        cut = _QP_LINE if cut == -1 else cut
        lines.append(encoded[:cut])
        encoded = encoded[cut:]
    lines.append(encoded)
    return "=\r\n".join(lines).encode("ascii")


def envelope_address(address: str, encoding: str) -> str:
    """``sanitize_address(address, encoding)``, without its parser for plain addresses."""
    if _PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, encoding)


def _qp_with_gaps(text: str, part: str, charset: str) -> str:
    """``text`` quoted-printable, each placeholder left as a gap alone between soft line breaks,
    so that a recipient's value, encoded on its own, can be put in without encoding the rest."""
    pieces = re.split(f"({'|'.join(map(re.escape, _BODY_MARKS.values()))})", text)
    names = {mark: name for name, mark in _BODY_MARKS.items()}
    encoded = ""
    for index, piece in enumerate(pieces):
        if index % 2:
            if encoded and not encoded.endswith("\n"):
                encoded += "=\n"
            encoded += f"NLX-{part}-{names[piece]}-NLX=\n"
        elif piece:
            # 75: room for the soft line break that may follow before a gap.
            # As email.charset does: the encoder works on the bytes, each as one character.
            latin = piece.encode(charset).decode("latin-1")
            encoded += quoprimime.body_encode(latin, maxlinelen=_QP_LINE)
    return encoded


class Skeleton:
    """An issue's message serialised once, with gaps for what differs per recipient.

    Serialising a message with the ``email`` package (quoted-printable bodies, header folding,
    the boundary search) costs far more than sending it; a send does it once here. The bodies
    are quoted-printable, so a recipient's values, encoded on their own, can be put in the gaps
    as bytes: the result reads exactly as ``Personaliser.build``'s message once parsed (same
    headers and decoded bodies), only the transfer encoding may differ.
    """

    def __init__(self, personaliser: Personaliser) -> None:
        self.encoding = settings.DEFAULT_CHARSET
        self.sender = sanitize_address(settings.DEFAULT_FROM_EMAIL, self.encoding)
        self.personaliser = personaliser
        email = personaliser._message(
            PREVIEW_ADDRESS,
            personaliser.issue.text,
            personaliser.issue.html,
            _HEADER_GAPS["List-Unsubscribe"],
            _HEADER_GAPS["Message-ID"],
        )
        message = cast(SafeMIMEMultipart, email.message())  # text, then the HTML alternative
        for name, gap in _HEADER_GAPS.items():
            message.replace_header(name, gap)
        text_part, html_part = cast(list[Message], message.get_payload())
        self.charset = text_part.get_content_charset() or "utf-8"
        issue = personaliser.issue
        for part, body, code in ((text_part, issue.text, "T"), (html_part, issue.html, "H")):
            part.set_payload(_qp_with_gaps(body, code, self.charset))
            part.replace_header("Content-Transfer-Encoding", "quoted-printable")
        wire = re.sub(rb"(?m)^\.", b"..", message.as_bytes(linesep="\r\n"))
        if not wire.endswith(b"\r\n"):
            wire += b"\r\n"
        pieces = _GAP.split(wire)
        # re.split gives: text, header gap or None, body gap or None, text, …
        self.texts = pieces[::3]
        self.gaps = [
            (header or body).decode("ascii")
            for header, body in zip(pieces[1::3], pieces[2::3], strict=True)
        ]
        self._date = (0, b"")

    def _date_line(self) -> bytes:
        now = int(time.time())
        if self._date[0] != now:
            value = formatdate(now, localtime=settings.EMAIL_USE_LOCALTIME)
            self._date = (now, _WIRE_POLICY.fold_binary("Date", value))
        return self._date[1]

    def _header(self, name: str, value: str) -> bytes:
        """The header line Django's message and the email package's generator would write."""
        if len(name) + 2 + len(value) <= 78 and _UNFOLDED.fullmatch(value):
            # Short, ASCII, no space, comma or semicolon: neither Django nor the folding
            # would change it (tests/newsletters/test_wire_messages.py checks they agree).
            return f"{name}: {value}\r\n".encode("ascii")
        return _WIRE_POLICY.fold_binary(
            name, forbid_multi_line_headers(name, value, self.encoding)[1]
        )

    def fill(self, address: str, public_id: UUID, *, message_id: str) -> WireMessage:
        """The message for one recipient, ready for the SMTP server."""
        preferences, unsubscribe = self.personaliser.links(public_id)
        charset = self.charset
        values = {
            "NLX-HDR-TO-NLX": self._header("To", address),
            "NLX-HDR-DATE-NLX": self._date_line(),
            "NLX-HDR-MESSAGEID-NLX": self._header("Message-ID", message_id),
            "NLX-HDR-UNSUBSCRIBE-NLX": self._header("List-Unsubscribe", f"<{unsubscribe}>"),
            "NLX-T-EMAIL-NLX": quoted_printable(address, charset),
            "NLX-T-PREFERENCES-NLX": quoted_printable(preferences, charset),
            "NLX-T-UNSUBSCRIBE-NLX": quoted_printable(unsubscribe, charset),
            "NLX-H-EMAIL-NLX": quoted_printable(escape(address), charset),
            "NLX-H-PREFERENCES-NLX": quoted_printable(escape(preferences), charset),
            "NLX-H-UNSUBSCRIBE-NLX": quoted_printable(escape(unsubscribe), charset),
        }
        texts = self.texts
        data = [texts[0]]
        for index, gap in enumerate(self.gaps, start=1):
            data.append(values[gap])
            data.append(texts[index])
        return WireMessage(
            sender=self.sender,
            recipient=envelope_address(address, self.encoding),
            data=b"".join(data),
        )


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
