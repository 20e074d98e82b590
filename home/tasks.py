"""Site-wide Celery tasks: scheduled publishing, and running Wagtail's deferred tasks."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from django.core.management import call_command
from django.utils.module_loading import import_string


@shared_task(name="home.tasks.publish_scheduled_pages")
def publish_scheduled_pages() -> None:
    """Publish pages whose go-live date has passed and unpublish expired ones.

    Wagtail's own command does the work; beat runs it every minute so that scheduled
    publishing needs no cron.
    """
    call_command("publish_scheduled", verbosity=0)


@shared_task(name="home.tasks.run_django_task")
def run_django_task(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> None:
    """Run a django-tasks task (Wagtail's own background work) inside a Celery worker."""
    task = import_string(module_path)
    task.call(*args, **kwargs)
