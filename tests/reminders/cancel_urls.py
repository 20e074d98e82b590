"""The site's URLs plus a stand-in for ``registrations:cancel`` while its view is not merged.

The event reminders print the cancellation link (built by the registrations app's public
views); until those views are on the branch, the tests route the link here so that it can be
reversed. The stand-in is never used once ``registrations.urls`` is included.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from config.urls import urlpatterns as site_urlpatterns


def _cancel_stand_in(request: HttpRequest, token: str) -> HttpResponse:
    return HttpResponse(token)


urlpatterns = [
    path(
        "inscriptions/",
        include(([path("annuler/<str:token>/", _cancel_stand_in, name="cancel")], "registrations")),
    ),
    *site_urlpatterns,
]
