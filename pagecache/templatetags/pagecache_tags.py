"""``{% cachedfragment "name" value… %}…{% endcachedfragment %}``: a piece of a page rendered
once and kept until something it shows changes (see ``pagecache.tags.fragment``).

The key holds the name, the page's template, the code release, the scheme and host, and the
given values (a page counts by its id, and the fragment then depends on that page and on the
rows loaded with it). Everything else the piece shows must be loaded inside it, where its tags
are recorded.
"""

from __future__ import annotations

import hashlib

from django import template
from django.template.base import FilterExpression, NodeList, Parser, Token

from wagtail.models import Page

from pagecache import tags as tagging
from pagecache.release import release
from pagecache.signals import loaded_tags

register = template.Library()


class CachedFragmentNode(template.Node):
    def __init__(self, nodelist: NodeList, name: FilterExpression, vary: list[FilterExpression]):
        self.nodelist = nodelist
        self.name = name
        self.vary = vary

    def render(self, context: template.Context) -> str:
        request = context.get("request")
        if getattr(request, "is_preview", False):
            # A preview shows an unsaved draft under the page's own path: never read a
            # fragment for it, never store one.
            return self.nodelist.render(context)
        values = [expression.resolve(context) for expression in self.vary]
        pages = [value for value in values if isinstance(value, Page)]
        parts = [
            str(self.name.resolve(context)),
            # A template may override a block inside the fragment (no sign-up form on some).
            getattr(context.template, "name", "") or "",
            f"{request.scheme}://{request.get_host()}" if request is not None else "",
            *(f"page:{value.pk}" if isinstance(value, Page) else str(value) for value in values),
        ]
        digest = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:40]

        def render() -> str:
            # A page counts with the rows loaded along with it, before the fragment began
            # (its logo, its trade: ``serve_select_related``), which the piece may show.
            for page in pages:
                tagging.record(*loaded_tags(page))
            return self.nodelist.render(context)

        return tagging.fragment(f"{release()}:{digest}", render)


@register.tag
def cachedfragment(parser: Parser, token: Token) -> CachedFragmentNode:
    """Parse ``{% cachedfragment "name" value… %}…{% endcachedfragment %}``."""
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("cachedfragment attend au moins un nom.")
    nodelist = parser.parse(("endcachedfragment",))
    parser.delete_first_token()
    return CachedFragmentNode(
        nodelist, parser.compile_filter(bits[1]), [parser.compile_filter(b) for b in bits[2:]]
    )


@register.simple_tag
def recordtags(*tags: str) -> str:
    """``{% recordtags "children:…" %}``: what a fragment shows depends on ``tags`` though it
    loads nothing that records them (a query's result: which trades residents practise)."""
    tagging.record(*tags)
    return ""
