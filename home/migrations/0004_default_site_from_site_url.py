"""Give the default Site record the host and port of SITE_URL (it said localhost:80)."""

from django.db import migrations

from ops.site_url import sync_default_site


def sync_site(apps, schema_editor):
    sync_default_site(apps.get_model("wagtailcore", "Site"))


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_site_settings_and_navigation"),
    ]

    # Nothing to undo: the Site record keeps whatever address it had last.
    operations = [migrations.RunPython(sync_site, migrations.RunPython.noop)]
