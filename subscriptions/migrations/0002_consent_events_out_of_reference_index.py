"""Consent events leave Wagtail's reference index (``wagtail_reference_index_ignore``).

The rows already written for them would never be updated again: remove them.
"""

from typing import Any

from django.db import migrations


def remove_consent_event_references(apps: Any, schema_editor: Any) -> None:
    content_type = apps.get_model("contenttypes", "ContentType")
    reference_index = apps.get_model("wagtailcore", "ReferenceIndex")
    for app_label in ("subscriptions", "newsletters"):
        event_type = content_type.objects.filter(app_label=app_label, model="consentevent").first()
        if event_type is not None:
            reference_index.objects.filter(content_type=event_type).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("subscriptions", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailcore", "0094_alter_page_locale"),
    ]

    operations = [
        migrations.RunPython(remove_consent_event_references, migrations.RunPython.noop),
    ]
