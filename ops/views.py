"""Health endpoints for a load balancer or an orchestrator."""

from __future__ import annotations

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ops import health


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """The process answers; touches neither the database nor Redis."""
    return JsonResponse({"status": "ok"})


@never_cache
@require_GET
def readyz(request: HttpRequest) -> JsonResponse:
    """Ready to serve: database, cache, broker reachable and beat seen recently; else 503."""
    outcomes = health.run(health.READINESS_CHECKS)
    failed = {name: error for name, error in outcomes.items() if error}
    body = {
        "status": "unavailable" if failed else "ok",
        "checks": {name: error or "ok" for name, error in outcomes.items()},
    }
    return JsonResponse(body, status=503 if failed else 200)
