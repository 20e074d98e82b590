"""Give the tree's root page a French title: the admin shows it in breadcrumbs and in the page
chooser, and Wagtail names it "Root" on install. Reversible."""

from django.db import migrations

ROOT_TITLE = "Racine du site"
WAGTAIL_ROOT_TITLE = "Root"


def _retitle(apps, old: str, new: str) -> None:
    apps.get_model("wagtailcore.Page").objects.filter(depth=1, title=old).update(
        title=new, draft_title=new
    )


def french_root_title(apps, schema_editor):
    _retitle(apps, WAGTAIL_ROOT_TITLE, ROOT_TITLE)


def wagtail_root_title(apps, schema_editor):
    _retitle(apps, ROOT_TITLE, WAGTAIL_ROOT_TITLE)


class Migration(migrations.Migration):
    dependencies = [
        ("home", "0003_site_settings_and_navigation"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(french_root_title, wagtail_root_title)]
