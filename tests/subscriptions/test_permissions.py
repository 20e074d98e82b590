"""The subscribers' permissions moved with the model: groups keep what they held."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import connection

pytestmark = pytest.mark.django_db

# The migration's last step: the reversible content-type move (ops.content_types).
MOVE = importlib.import_module("subscriptions.migrations.0001_initial").Migration.operations[-1]
EDITOR = SimpleNamespace(connection=connection)


def test_permissions__the_communication_team_keeps_reading_and_importing_subscribers() -> None:
    held = Group.objects.get(name="Communication").permissions.filter(
        content_type__model="subscriber"
    )
    assert {(p.content_type.app_label, p.codename) for p in held} == {
        ("subscriptions", "view_subscriber"),
        ("subscriptions", "add_subscriber"),
    }
    assert not ContentType.objects.filter(app_label="newsletters", model="subscriber").exists()


def test_content_type_rename__moves_a_group_permission_and_back() -> None:
    team = Group.objects.get(name="Communication")
    content_type = ContentType.objects.get(app_label="subscriptions", model="subscriber")

    MOVE.reverse_code(apps, EDITOR)
    content_type.refresh_from_db()
    assert content_type.app_label == "newsletters"
    MOVE.code(apps, EDITOR)

    content_type.refresh_from_db()
    assert content_type.app_label == "subscriptions"
    assert team.permissions.filter(codename="add_subscriber", content_type=content_type).exists()
    assert Permission.objects.filter(codename="add_subscriber").count() == 1
