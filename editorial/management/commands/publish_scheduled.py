"""Wagtail's ``publish_scheduled``, minus the joint revisions the chamber has not signed off.

``editorial`` sits before ``wagtail`` in INSTALLED_APPS, so this command replaces Wagtail's
(home/tasks.py runs it every minute from beat). The publication guard already refuses to
schedule such a revision; a schedule that predates it (or was written to the database by
hand) is withdrawn here and logged, so that one refusal does not abort the whole run and
leave every other scheduled page unpublished.
"""

from __future__ import annotations

import logging
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from wagtail.management.commands.publish_scheduled import Command as WagtailCommand
from wagtail.models import Page, Revision

from editorial.enforcement import is_cleared
from editorial.routing import content_is_joint, live_side_is_joint

logger = logging.getLogger(__name__)


class Command(WagtailCommand):
    def handle(self, *args: Any, **options: Any) -> None:
        if not options.get("dryrun"):
            self.withdraw_unsigned_joint_schedules()
        super().handle(*args, **options)

    def withdraw_unsigned_joint_schedules(self) -> None:
        due = Revision.objects.filter(
            approved_go_live_at__lt=timezone.now(),
            base_content_type=ContentType.objects.get_for_model(Page),
        )
        for revision in due:
            page_id = int(revision.object_id)
            if not (content_is_joint(revision) or live_side_is_joint(page_id)):
                continue
            if is_cleared(revision, page_id):
                continue
            Revision.objects.filter(pk=revision.pk).update(approved_go_live_at=None)
            logger.warning(
                "Scheduled go-live of page %s (revision %s) withdrawn: joint content "
                "without the chamber's sign-off",
                page_id,
                revision.pk,
            )
