"""Every parameter of the project's routes is validated: a malformed value is a 404, never a 500."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.urls.converters import IntConverter, SlugConverter, StringConverter

from ops.converters import IdConverter, RevisionConverter

pytestmark = pytest.mark.django_db

PROJECT_APPS = (
    "editorial",
    "home",
    "members",
    "news",
    "newsletters",
    "ops",
    "pagecache",
    "programs",
    "subscriptions",
)
NOT_A_NUMBER = "abc"
TOO_LARGE = "9" * 30  # past 2**63: SQLite raises OverflowError on such an id

# Each project route with a parameter; "{}" is the value under test, "{page}" a real page.
ID_ROUTES = [
    "/newsletter/rappel/{}/",
    "/newsletter/rappel/{}/merci/",
    "/admin/editorial/validation/{}/",
    "/admin/editorial/comparer/{}/live/latest/",
    "/admin/newsletters/subscriber/import/{}/",
    "/admin/newsletters/subscriber/export/{}/",
    "/admin/newsletters/subscriber/erase/{}/",
    "/admin/newsletters/issue/{}/send/",
    "/admin/newsletters/issue/{}/send/summary/",
    "/admin/newsletters/issue/{}/send/confirm/",
    "/admin/newsletters/issue/{}/send/test/",
    "/admin/newsletters/issue/{}/preview/html/",
    "/admin/newsletters/send/{}/",
    "/admin/newsletters/send/{}/pause/",
    "/admin/rappels-de-vote/{}/",
]
OTHER_ROUTES = [
    "/admin/editorial/comparer/{page}/live/{}/",
    "/admin/editorial/comparer/{page}/{}/latest/",
]
# Signed tokens: a bad one gets the French "link not valid" page (400).
TOKEN_ROUTES = [
    "/newsletter/confirmer/{}/",
    "/newsletter/preferences/{}/",
    "/newsletter/desinscription/{}/",
    "/newsletter/rappel/confirmer/{}/",
    "/newsletter/rappel/arreter/{}/",
]


@pytest.fixture
def superuser_client(client: Client, admin_user: Any) -> Client:
    # The superuser passes every permission check, so the parameter reaches the view.
    client.force_login(admin_user)
    return client


@pytest.mark.parametrize("value", [NOT_A_NUMBER, TOO_LARGE, "-1", "1.5"])
@pytest.mark.parametrize("route", ID_ROUTES + OTHER_ROUTES)
def test_route__a_malformed_or_huge_id_is_a_404(
    superuser_client: Client, home_page: Any, route: str, value: str
) -> None:
    path = route.format(value, page=home_page.pk)

    get = superuser_client.get(path)
    post = superuser_client.post(path)

    assert (get.status_code, post.status_code) == (404, 404), path


@pytest.mark.parametrize("route", ID_ROUTES)
def test_route__the_largest_accepted_id_is_looked_up_without_error(
    superuser_client: Client, home_page: Any, route: str
) -> None:
    # 18 digits: matched by the route and looked up (the thanks page answers for any id).
    path = route.format("9" * 18, page=home_page.pk)

    statuses = {superuser_client.get(path).status_code, superuser_client.post(path).status_code}

    assert statuses <= {200, 404, 405}
    assert statuses & {200, 404}  # one of the two methods reached the view


@pytest.mark.parametrize("value", [NOT_A_NUMBER, TOO_LARGE, "é" * 3, "a:b:c"])
@pytest.mark.parametrize("route", TOKEN_ROUTES)
def test_route__a_bad_token_is_a_french_400_page(client: Client, route: str, value: str) -> None:
    response = client.get(route.format(value))

    assert response.status_code == 400
    assert "Ce lien n'est pas valable" in response.content.decode()


def project_patterns(resolver: URLResolver, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            yield from project_patterns(entry, route)
        elif getattr(entry.callback, "__module__", "").startswith(PROJECT_APPS):
            yield route, entry


def test_routes__every_numeric_parameter_of_the_project_is_bounded() -> None:
    # Django's <int:> accepts any length (a 500 on SQLite); project routes use <id:>.
    found = {}
    for route, pattern in project_patterns(get_resolver()):
        converters = getattr(pattern.pattern, "converters", {})
        for name, converter in converters.items():
            found[f"{route} {name}"] = type(converter)

    assert found, "aucune route du projet avec un paramètre"
    assert not [key for key, kind in found.items() if kind is IntConverter]
    allowed = {IdConverter, RevisionConverter, SlugConverter, StringConverter}
    assert set(found.values()) <= allowed
    strings = [key for key, kind in found.items() if kind is StringConverter]
    assert all(key.endswith((" token", " kind", " action", " esp")) for key in strings), strings
