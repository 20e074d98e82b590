"""A full-page cache for anonymous visitors that is never stale.

Pages record what they show while they render (``record``), and every change to a page, a
setting or a snippet bumps the matching tags after its transaction commits; an entry is served
only if none of its tags moved since its render started. See ``pagecache.tags`` for the model
and ``pagecache.middleware`` for what is cached and what is not.
"""

from __future__ import annotations

from .tags import (
    bump,
    collecting,
    fragment,
    fragments,
    mark_cacheable,
    mark_uncacheable,
    memo,
    model_tag,
    page_tags,
    record,
    type_tag,
    valid_until,
)

__all__ = [
    "bump",
    "collecting",
    "fragment",
    "fragments",
    "mark_cacheable",
    "mark_uncacheable",
    "memo",
    "model_tag",
    "page_tags",
    "record",
    "type_tag",
    "valid_until",
]
