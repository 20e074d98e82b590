"""Give the default Site record the host and port of SITE_URL (it said localhost:80)."""

from django.db import migrations

from ops.site_url import sync_default_site
from pagecache.tags import bump


def sync_site(apps, schema_editor):
    if sync_default_site(apps.get_model("wagtailcore", "Site")):
        # A historical model sends no signal: say it to the page cache (Redis outlives this).
        bump("urls", "model:wagtailcore.Site")


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0004_root_page_title"),
    ]

    # Nothing to undo: the Site record keeps whatever address it had last.
    operations = [migrations.RunPython(sync_site, migrations.RunPython.noop)]
