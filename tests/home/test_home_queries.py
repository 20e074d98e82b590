"""The home page costs the same number of SQL queries however much content the site holds."""

from __future__ import annotations

from datetime import timedelta

import pytest

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.models import MemberIndexPage
from programs.models import EventIndexPage
from tests.factories.members import MemberPageFactory
from tests.factories.programs import EventPageFactory

# Site, routing and view restrictions (5), hero image, resident count, index pages, featured
# programs, upcoming events, latest residents with their logos' renditions, latest articles
# with tags and renditions, open contests with entries, site settings, the footer's sign-up
# form (consent wording, topics); the navigation comes from the cache.
HOME_PAGE_MAX_QUERIES = 20


def _count_home_queries(client: Client) -> int:
    client.get("/")  # warm the navigation cache and the renditions
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    return len(queries)


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache_off")
def test_home_page__constant_queries_with_200_residents_and_200_events(
    client: Client, django_assert_max_num_queries
) -> None:
    call_command("load_demo", verbosity=0)
    with_demo = _count_home_queries(client)

    directory = MemberIndexPage.objects.get()
    agenda = EventIndexPage.objects.get()
    start = timezone.now() + timedelta(days=1)
    for n in range(200):
        MemberPageFactory(parent=directory, title=f"Résident {n}", company_name=f"R{n}")
        EventPageFactory(
            parent=agenda,
            title=f"Atelier {n}",
            start=start + timedelta(hours=n),
            duration=timedelta(hours=1),
            place="Le Carburateur",
            registration_text="À l'accueil",
        )

    with django_assert_max_num_queries(HOME_PAGE_MAX_QUERIES):
        assert client.get("/").status_code == 200
    assert _count_home_queries(client) == with_demo
