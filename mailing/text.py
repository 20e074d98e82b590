"""The plain-text alternative of an HTML email: what a text-only mail client shows."""

from __future__ import annotations

import re
from html.parser import HTMLParser


class _TextExtractor(HTMLParser):
    """Rich text to readable plain text: paragraphs, list items, and links as "text (url)"."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "li":
            self.parts.append("\n- ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in {"p", "ul", "ol", "h2", "h3", "h4"}:
            self.parts.append("\n\n")
        elif tag == "a":
            self.links.append(dict(attrs).get("href") or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self.links:
            href = self.links.pop()
            if href and not href.startswith(("#", "mailto:")):
                self.parts.append(f" ({href})")
        elif tag in {"p", "ul", "ol", "h2", "h3", "h4"}:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """Rich text as the plain-text part shows it: "text (url)" links, "- item" lists.

    Kept over html2text, which writes Markdown (``[text](url)``, ``  * item``, ``## title``)."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    text = "".join(parser.parts)
    lines = [" ".join(line.split()) if line.strip() else "" for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
