"""The "sent" mark after each accepted message: one statement, prepared once on PostgreSQL."""

from __future__ import annotations

from typing import Any

import pytest

from django.db import connection
from django.test.utils import CaptureQueriesContext

from home.models import HomePage
from newsletters import sending
from newsletters.models import Delivery
from subscriptions.models import Topic

from .issues import make_issue, make_subscribers

pytestmark = pytest.mark.django_db


def prepared_marks() -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements "
            "WHERE statement LIKE 'UPDATE newsletters_delivery SET state%%'"
        )
        return int(cursor.fetchone()[0])


@pytest.mark.parametrize("pooled", [False, True], ids=["direct", "transaction-pooler"])
def test_sent_marks__prepared_on_postgresql_unless_behind_a_pooler(
    home_page: HomePage,
    topics: dict[str, Topic],
    django_capture_on_commit_callbacks: Any,
    monkeypatch: pytest.MonkeyPatch,
    pooled: bool,
) -> None:
    # What a transaction-mode pooler requires; Django then never prepares either.
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", pooled)
    connection.ensure_connection()
    if connection.vendor == "postgresql":
        monkeypatch.setattr(connection.connection, "prepare_threshold", None)
    make_subscribers(3, topics["actualites"])
    with django_capture_on_commit_callbacks(execute=True):
        send = sending.create_send(make_issue(home_page, topics["actualites"]), None)

    assert (
        list(Delivery.objects.filter(send=send).values_list("state", "attempts"))
        == [("sent", 1)] * 3
    )
    if connection.vendor == "postgresql" and pooled:
        assert connection.connection.prepare_threshold is None
    elif connection.vendor == "postgresql":
        # One prepared statement for the three marks, in this very session.
        assert prepared_marks() == 1


def test_sent_marks__still_seen_by_a_query_count(
    home_page: HomePage, topics: dict[str, Topic], django_capture_on_commit_callbacks: Any
) -> None:
    make_subscribers(3, topics["actualites"])
    with (
        CaptureQueriesContext(connection) as queries,
        django_capture_on_commit_callbacks(execute=True),
    ):
        sending.create_send(make_issue(home_page, topics["actualites"]), None)

    marks = [q for q in queries.captured_queries if "SET state = 'sent'" in q["sql"]]
    assert len(marks) == 3
