"""Opt a plain Django view into the page cache, naming what its response depends on."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import HttpRequest, HttpResponseBase

from . import tags as tagging

View = Callable[..., HttpResponseBase]


def cached_for_anonymous(*tags: str) -> Callable[[View], View]:
    """Let the middleware store this view's responses to anonymous visitors; ``tags`` are
    what they show (e.g. ``type:wagtailcore.Page`` for anything listing every page)."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            tagging.record(*tags)
            tagging.mark_cacheable()
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
