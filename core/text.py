"""Plain text out of a page's fields, for the summaries that search engines and cards show."""

from __future__ import annotations

from html import unescape
from typing import Any

from django.utils.html import strip_tags

from wagtail.blocks import RichTextBlock, StreamValue
from wagtail.rich_text import RichText


def squash(text: str) -> str:
    """``text`` on one line, runs of white space made one space."""
    return " ".join(text.split())


def html_to_text(html: str) -> str:
    """Rich text's HTML as plain text: tags dropped, entities (``&amp;``, ``&nbsp;``) read."""
    return squash(unescape(strip_tags(html)))


def first_paragraph(stream: StreamValue) -> str:
    """The text of the first non-empty rich text block of ``stream``.

    Read from the stream's raw data: turning the blocks into values would load what image or
    page blocks point to, a query each, for a summary that never shows them.
    """
    child_blocks = stream.stream_block.child_blocks
    for item in stream.raw_data:
        if isinstance(child_blocks.get(item.get("type")), RichTextBlock):
            text = html_to_text(str(item.get("value") or ""))
            if text:
                return text
    return ""


def plain_text(value: Any) -> str:
    """A field's value as one line of plain text: text as is, rich text without its tags, a
    stream as its first paragraph; anything else (an empty field, a number) as nothing."""
    if isinstance(value, StreamValue):
        return first_paragraph(value)
    if isinstance(value, RichText):
        return html_to_text(value.source)
    if isinstance(value, str):  # plain text, or the HTML of a rich text field
        return html_to_text(value)
    return ""


def shorten(text: str, length: int) -> str:
    """``text`` cut between two words to at most ``length`` characters, an ellipsis included."""
    if len(text) <= length:
        return text
    cut = text[: length - 1]
    if not text[length - 1].isspace() and " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:.") + "…"
