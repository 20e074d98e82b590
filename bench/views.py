"""The benchmark's ceiling: a bare Django view rendering a small template, on the same stack.

Served only when ``BENCH_CEILING`` is set (see ``config/urls.py``), never in a normal run.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.template import engines

CEILING_TEMPLATE = engines["django"].from_string(
    """<!DOCTYPE html>
<html lang="fr"><head><meta charset="utf-8"><title>{{ title }}</title></head>
<body><h1>{{ title }}</h1><ul>{% for item in items %}<li>{{ item }}</li>{% endfor %}</ul></body>
</html>"""
)


def ceiling(request: HttpRequest) -> HttpResponse:
    context = {"title": "Plafond", "items": ["un", "deux", "trois"]}
    return HttpResponse(CEILING_TEMPLATE.render(context, request))
