"""Background work: Wagtail's django-tasks through Celery, and scheduled publishing."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
import time_machine

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.test import override_settings
from django.utils import timezone

from wagtail.models import Page, ReferenceIndex
from wagtail.tasks import delete_file_from_storage_task, update_reference_index_task

from home.task_backend import CeleryBackend
from home.tasks import publish_scheduled_pages
from tests.factories.home import StandardPageFactory
from tests.services import wait_for

CELERY_TASKS = {"default": {"BACKEND": "home.task_backend.CeleryBackend"}}


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=CELERY_TASKS)
def test_celery_backend__runs_a_wagtail_task_in_a_real_worker(
    tmp_path: Path, celery_worker: Path, producer_on: None
) -> None:
    # Published to our Redis and run by the worker process: this process runs nothing eagerly.
    storage = FileSystemStorage(location=str(tmp_path / "media"))
    name = storage.save("old-rendition.txt", ContentFile(b"obsolete"))
    assert storage.exists(name)

    result = delete_file_from_storage_task.enqueue(storage.deconstruct(), name)

    assert isinstance(delete_file_from_storage_task.get_backend(), CeleryBackend)
    assert result.backend == "default"
    assert result.args[1] == name
    wait_for(lambda: not storage.exists(name), "la suppression du fichier par le worker")
    # The worker ran it (its log lists the task at startup: look for the run itself).
    ran = re.compile(r"Task home\.tasks\.run_django_task\[[\w-]+\] succeeded")
    wait_for(lambda: ran.search(celery_worker.read_text()), "le compte rendu du worker")


@pytest.mark.django_db
@override_settings(TASKS=CELERY_TASKS, CELERY_TASK_ALWAYS_EAGER=True)
def test_celery_backend__indexes_references_of_a_page(home_page, image) -> None:
    page = StandardPageFactory(title="Accès", slug="acces", social_image=image)
    ReferenceIndex.objects.all().delete()

    update_reference_index_task.enqueue("home", "standardpage", page.pk)

    assert ReferenceIndex.get_references_to(image).filter(object_id=str(page.pk)).exists()


@pytest.mark.django_db
def test_publish_scheduled_pages__publishes_a_page_whose_go_live_date_passed(home_page) -> None:
    go_live = timezone.now() + dt.timedelta(hours=1)
    page = StandardPageFactory(
        title="Portes ouvertes",
        slug="portes-ouvertes",
        live=False,
        go_live_at=go_live,
        revision=True,
    )
    assert not page.live

    publish_scheduled_pages.delay()
    assert not Page.objects.get(pk=page.pk).live

    with time_machine.travel(go_live + dt.timedelta(minutes=1), tick=False):
        publish_scheduled_pages.delay()
    assert Page.objects.get(pk=page.pk).live


@pytest.mark.django_db
def test_publish_scheduled_pages__unpublishes_an_expired_page(home_page) -> None:
    expire = timezone.now() + dt.timedelta(days=2)
    page = StandardPageFactory(
        title="Offre d'été", slug="offre-ete", expire_at=expire, revision=True
    )
    assert Page.objects.get(pk=page.pk).live

    with time_machine.travel(expire + dt.timedelta(seconds=1), tick=False):
        publish_scheduled_pages.delay()
    page = Page.objects.get(pk=page.pk)
    assert not page.live
    assert page.expired
