"""Renditions queued when an image is saved or a page published, so no visitor waits for them.

Connected in ``CoreConfig.ready``. The work is a Celery task queued after the commit: a broker
that is down is logged (``ops.queueing``), never raised into the upload or the publication, and
the first visitor then makes the renditions as before.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Model
from django.db.models.signals import post_save, pre_save

from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published

from ops.queueing import queue_after_commit

from . import tasks

#: The image fields a rendition depends on: a save touching none of them changes no rendition.
RENDERED_FIELDS = {
    "file",
    "focal_point_x",
    "focal_point_y",
    "focal_point_width",
    "focal_point_height",
}


def _touches_renditions(raw: bool, update_fields: Any) -> bool:
    """Whether a save may change the image's renditions (not a fixture being loaded, not a
    save of other fields), with renditions made ahead at all (``RENDITIONS_AHEAD``)."""
    if raw or not settings.RENDITIONS_AHEAD:
        return False
    return update_fields is None or bool(RENDERED_FIELDS & set(update_fields))


def on_image_saving(
    sender: type[Model], instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """Note whether the image gets a new file: its renditions then show the old picture."""
    if instance.pk is None or not _touches_renditions(raw, update_fields):
        return
    stored = sender._default_manager.filter(pk=instance.pk).values_list("file", flat=True).first()
    instance._carburateur_new_file = stored is not None and stored != instance.file.name


def on_image_saved(
    sender: type, instance: Any, raw: bool = False, update_fields: Any = None, **kwargs: Any
) -> None:
    """Drop the renditions of a replaced file, then queue the new set."""
    if not _touches_renditions(raw, update_fields):
        return
    if getattr(instance, "_carburateur_new_file", False):
        # Wagtail's edit form does the same after saving; an import or a script does not.
        instance.renditions.all().delete()
    queue_after_commit(tasks.make_image_renditions, instance.pk)


def on_page_published(sender: type, instance: Page, **kwargs: Any) -> None:
    """Queue the renditions of the images the published page shows."""
    if not settings.RENDITIONS_AHEAD:
        return
    queue_after_commit(tasks.make_page_renditions, instance.pk)


def connect() -> None:
    image_model = get_image_model()
    pre_save.connect(on_image_saving, sender=image_model, dispatch_uid="core_image_saving")
    post_save.connect(on_image_saved, sender=image_model, dispatch_uid="core_image_saved")
    page_published.connect(on_page_published, dispatch_uid="core_page_published")
