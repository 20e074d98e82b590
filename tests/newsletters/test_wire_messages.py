"""The skeleton: each recipient's message filled into bytes serialised once per send must read
exactly as the message ``Personaliser.build`` makes (headers and decoded bodies)."""

from __future__ import annotations

import re
import uuid
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from email.policy import compat32

import pytest

from django.core.mail.message import forbid_multi_line_headers, sanitize_address

from home.models import HomePage
from newsletters.rendering import Personaliser, Skeleton, envelope_address, render_issue
from subscriptions.models import Topic
from tests.factories.newsletters import text_block

from .issues import make_issue

pytestmark = pytest.mark.django_db

ADDRESSES = [
    "lecteur@example.fr",
    "marie+lettres@example.fr",
    "élodie.müller@exemple.fr",  # non-ASCII local part
    "o'brien&fils@example.fr",  # HTML-escaped in the HTML part
    "lecteur@bücher.example",  # internationalised domain
    ".point@example.fr",  # a dot at the start of a line must be doubled for SMTP
    "a" * 64 + "@" + "b" * 60 + ".example.fr",  # longer than one quoted-printable line
    "a" * 60 + "@" + "b" * 12 + "ü.example.fr",  # an escape (=C3) where the line is cut
]

# Long lines make Django choose quoted-printable for that part; a line starting with a dot and
# one ending in spaces are where quoted-printable and SMTP's dot-stuffing are easy to get wrong.
LONG = "<p>" + "Le Carburateur accueille ébénistes et couturières. " * 40 + "</p>"
BODY = [
    text_block(LONG),
    text_block("<p>.Une ligne qui commence par un point   </p><p>= égal, tabulation\t</p>"),
]


def unstuffed(data: bytes) -> Message:
    """The message as the server stores it: SMTP's doubled leading dots undone."""
    return message_from_bytes(re.sub(rb"(?m)^\.\.", b".", data))


def header(message: Message, name: str) -> str:
    return str(make_header(decode_header(message[name])))


def parts(message: Message) -> list[tuple[str, str | None, str]]:
    found = []
    for part in message.walk():
        if part.get_content_maintype() == "text":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            charset = part.get_content_charset()
            found.append((part.get_content_type(), charset, payload.decode(charset or "ascii")))
    return found


HEADERS = [
    "From",
    "To",
    "Subject",
    "Message-ID",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
    "List-Id",
    "Precedence",
    "MIME-Version",
]


@pytest.mark.parametrize("address", ADDRESSES)
def test_skeleton_fill__reads_as_the_built_message(
    home_page: HomePage, topics: dict[str, Topic], address: str
) -> None:
    page = make_issue(home_page, topics["actualites"], subject="Été : les nouvelles", body=BODY)
    personaliser = Personaliser(render_issue(page))
    public_id = uuid.uuid4()
    identifier = "<lettre.7.abc@example.fr>"

    built = personaliser.build(address, public_id, message_id=identifier)
    expected = message_from_bytes(built.message().as_bytes(linesep="\r\n"))
    wire = personaliser.skeleton().fill(address, public_id, message_id=identifier)
    got = unstuffed(wire.data)

    for name in HEADERS:
        assert got.get_all(name) == expected.get_all(name), name
        assert header(got, name) == header(expected, name)
    assert got["Date"] and got["Content-Type"].startswith("multipart/alternative")
    assert [key.lower() for key in got] == [key.lower() for key in expected]
    assert parts(got) == parts(expected)
    # The values really are the recipient's (not a placeholder left over).
    text, html = parts(got)[0][2], parts(got)[1][2]
    assert address in text and personaliser.links(public_id)[1] in text
    assert "NLX" not in wire.data.decode("ascii")
    # The envelope is what Django's backend would use.
    assert wire.recipient == sanitize_address(address, "utf-8")
    assert html.count(personaliser.links(public_id)[0].replace("&", "&amp;")) >= 1


def test_skeleton_fill__is_wire_safe(home_page: HomePage, topics: dict[str, Topic]) -> None:
    page = make_issue(home_page, topics["actualites"], body=BODY)
    skeleton = Personaliser(render_issue(page)).skeleton()
    for address in ADDRESSES:
        data = skeleton.fill(address, uuid.uuid4(), message_id="<a@b>").data
        lines = data.split(b"\r\n")
        assert data.endswith(b"\r\n") and b"\n" not in data.replace(b"\r\n", b"")
        assert max(len(line) for line in lines) <= 998
        body = data.split(b"\r\n\r\n", 1)[1]
        assert max(len(line) for line in body.split(b"\r\n")) <= 76
        # Every line that starts with a dot has it doubled (a lone one would end the data).
        assert all(line.startswith(b"..") for line in lines if line.startswith(b"."))
        data.decode("ascii")  # quoted-printable bodies and RFC 2047 headers: 7-bit clean


@pytest.mark.parametrize("address", [*ADDRESSES, "Lecteur.Nom@Example.FR", "a..b@example.fr"])
def test_shortcuts__agree_with_django_and_the_email_package(address: str) -> None:
    assert envelope_address(address, "utf-8") == sanitize_address(address, "utf-8")
    skeleton = Skeleton.__new__(Skeleton)
    skeleton.encoding = "utf-8"
    policy = compat32.clone(linesep="\r\n")
    for name, value in [
        ("To", address),
        ("Message-ID", "<lettre.7.0123456789abcdef01234567@example.fr>"),
        ("List-Unsubscribe", f"<https://example.fr/desinscription/{address}/>"),
    ]:
        expected = policy.fold_binary(name, forbid_multi_line_headers(name, value, "utf-8")[1])
        assert skeleton._header(name, value) == expected
