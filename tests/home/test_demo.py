"""The demo loader builds the site and is idempotent."""

from __future__ import annotations

import pytest

from django.core.management import call_command

from wagtail.models import Page, PageLogEntry, Revision


@pytest.mark.django_db
def test_load_demo__second_run_changes_nothing() -> None:
    call_command("load_demo", verbosity=0)
    counts = (Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count())
    call_command("load_demo", verbosity=0)
    assert (Page.objects.count(), Revision.objects.count(), PageLogEntry.objects.count()) == counts
    assert Page.objects.filter(slug="le-carburateur", live=True).exists()
