"""Moving models between apps: their content types follow, and the permissions with them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.db import migrations

RunPythonCode = Callable[[Any, Any], None]


def _relabel(models: Sequence[str], old_app: str, new_app: str) -> RunPythonCode:
    def relabel(apps: Any, schema_editor: Any) -> None:
        content_type = apps.get_model("contenttypes", "ContentType")
        rows = content_type.objects.using(schema_editor.connection.alias)
        # On a fresh database no row exists yet (post_migrate creates them); a row already
        # under the new label is left alone rather than duplicated.
        taken = set(
            rows.filter(app_label=new_app, model__in=models).values_list("model", flat=True)
        )
        rows.filter(app_label=old_app, model__in=models).exclude(model__in=taken).update(
            app_label=new_app
        )

    return relabel


def move_content_types(models: Sequence[str], old_app: str, new_app: str) -> migrations.RunPython:
    """A reversible migration step that gives ``models``' content types to ``new_app``.

    Group permissions point at content types, so they stay attached to the moved models.
    """
    return migrations.RunPython(
        _relabel(models, old_app, new_app), _relabel(models, new_app, old_app)
    )
