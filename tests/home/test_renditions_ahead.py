"""No visitor waits for a rendition: uploading an image, replacing its file or publishing a page
makes every profile's renditions (a task queued after the commit), and so does ``load_demo``
(checked in ``test_load_demo_warm_up``, after the one ``load_demo`` of the slow lane)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from PIL import Image as PillowImage

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from wagtail.images import get_image_model
from wagtail.images.models import Image
from wagtail.models import Page

from core.images import every_spec
from tests.factories.pages import ImageFactory

pytestmark = pytest.mark.django_db

Rendition = get_image_model().get_rendition_model()
EVERY_SPEC = set(every_spec())


@pytest.fixture(autouse=True)
def _renditions_ahead(settings) -> None:  # type: ignore[no-untyped-def]
    settings.RENDITIONS_AHEAD = True


def upload(width: int, height: int, name: str = "atelier.jpg") -> SimpleUploadedFile:
    """A JPEG as an editor's browser sends it."""
    buffer = io.BytesIO()
    PillowImage.new("RGB", (width, height), (40, 90, 160)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), "image/jpeg")


def made_specs(image: Image) -> set[str]:
    return set(image.renditions.values_list("filter_spec", flat=True))


def renditions_made_by(client: Client, path: str, status: int = 200) -> int:
    """How many renditions a GET of ``path`` had to make."""
    before = Rendition.objects.count()
    response = client.get(path)
    assert response.status_code == status, path
    return Rendition.objects.count() - before


def test_upload_in_the_admin__makes_every_profile_before_any_visit(
    admin_client_logged: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = admin_client_logged.post(
            reverse("wagtailimages:add"), {"title": "Atelier", "file": upload(480, 300)}
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert callbacks, "the task is queued after the commit"
    image = get_image_model().objects.get(title="Atelier")
    assert made_specs(image) == EVERY_SPEC


def test_new_file_in_the_admin__replaces_the_renditions_of_the_old_one(
    admin_client_logged: Client, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        admin_client_logged.post(
            reverse("wagtailimages:add"), {"title": "Atelier", "file": upload(200, 125)}
        )
    image = get_image_model().objects.get(title="Atelier")
    old = set(image.renditions.values_list("pk", flat=True))
    assert image.get_rendition("width-400|format-webp").width == 200  # never enlarged

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_logged.post(
            reverse("wagtailimages:edit", args=[image.pk]),
            {"title": "Atelier", "file": upload(480, 300, "atelier-2.jpg")},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not image.renditions.filter(pk__in=old).exists()
    assert made_specs(image) == EVERY_SPEC
    assert image.renditions.get(filter_spec="width-400|format-webp").width == 400


def test_publication__makes_the_renditions_of_the_images_the_page_shows(
    client: Client, publish_page: Callable[..., Page], django_capture_on_commit_callbacks
) -> None:
    # Saved without running its own task (the test's transaction never commits): only the
    # publication can make its renditions.
    header = ImageFactory(title="Façade", file__width=480, file__height=300)
    in_body = ImageFactory(title="Atelier", file__width=480, file__height=300)
    page = publish_page("Visite", slug="visite", live=False)
    block = {"image": in_body.pk, "alt_text": "", "decorative": True}
    page.body = [{"type": "image", "value": block}]
    page.social_image = header
    assert not made_specs(header) and not made_specs(in_body)

    with django_capture_on_commit_callbacks(execute=True):
        page.save_revision().publish()

    assert made_specs(in_body) == EVERY_SPEC
    assert made_specs(header) == EVERY_SPEC
    assert renditions_made_by(client, page.url) == 0


def test_broker_down__the_upload_still_succeeds(
    admin_client_logged: Client, django_capture_on_commit_callbacks, monkeypatch, caplog
) -> None:
    from core import tasks

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.make_image_renditions, "apply_async", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client_logged.post(
            reverse("wagtailimages:add"), {"title": "Atelier", "file": upload(200, 125)}
        )
    assert response.status_code == 302
    image = get_image_model().objects.get(title="Atelier")
    assert not made_specs(image)
    assert "non mise en file" in caplog.text


def test_tasks__run_twice_make_each_rendition_once() -> None:
    from core.tasks import make_image_renditions

    image = ImageFactory(title="Atelier", file__width=480, file__height=300)
    make_image_renditions(image.pk)
    first = set(image.renditions.values_list("pk", "filter_spec"))
    make_image_renditions(image.pk)
    assert set(image.renditions.values_list("pk", "filter_spec")) == first
    assert {spec for _pk, spec in first} == EVERY_SPEC
    make_image_renditions(image.pk + 1000)  # gone since: nothing to do, no error


def test_renditions_made_ahead__are_still_read_from_the_cache_a_week_later(
    time_machine: Any, django_assert_num_queries: Callable[..., Any]
) -> None:
    # Wagtail keeps rendition URLs in the "renditions" cache, else for the default cache's five
    # minutes: the first visitor, days after an upload, would read them image by image.
    from core.tasks import make_image_renditions

    image = ImageFactory(title="Atelier", file__width=480, file__height=300)
    make_image_renditions(image.pk)
    time_machine.move_to(timezone.now() + timedelta(days=7))
    image = get_image_model().objects.get(pk=image.pk)
    with django_assert_num_queries(0):
        renditions = image.get_renditions(*EVERY_SPEC)
    assert set(renditions) == EVERY_SPEC
