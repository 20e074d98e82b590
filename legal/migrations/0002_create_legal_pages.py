"""Give every site whose root is a home page its three legal pages, if it lacks them.

An existing site gets the legal notice, privacy policy and accessibility statement on migrate,
with the text of ``legal.content`` (the one ``load_demo`` uses), published. A kind the site
already has is left alone, so running it again creates nothing. Going backwards keeps the pages:
they may have been edited since.

Historical models have no treebeard methods, so each page is placed by hand as Wagtail's own
initial migration does: the next path among the root's children, depth + 1, the root's
``numchild`` incremented.
"""

import uuid

from django.db import migrations
from django.db.models import F
from django.utils import timezone

from legal.content import LEGAL_PAGES, legal_page_fields
from pagecache.tags import bump

# Treebeard's materialised path for Wagtail pages: four base-36 characters a level.
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _step(number):
    digits = ""
    while number:
        number, remainder = divmod(number, len(ALPHABET))
        digits = ALPHABET[remainder] + digits
    return digits.rjust(STEPLEN, "0")


def _next_child_path(Page, root):
    last = (
        Page.objects.filter(path__startswith=root.path, depth=root.depth + 1)
        .order_by("-path")
        .values_list("path", flat=True)
        .first()
    )
    position = int(last[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    return root.path + _step(position)


def _free_slug(Page, root, slug):
    siblings = set(
        Page.objects.filter(path__startswith=root.path, depth=root.depth + 1).values_list(
            "slug", flat=True
        )
    )
    candidate, number = slug, 2
    while candidate in siblings:
        candidate, number = f"{slug}-{number}", number + 1
    return candidate


def create_legal_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    LegalPage = apps.get_model("legal", "LegalPage")

    home_type = ContentType.objects.filter(app_label="home", model="homepage").first()
    if home_type is None:
        return
    legal_type, _created = ContentType.objects.get_or_create(app_label="legal", model="legalpage")
    now = timezone.now()
    changed_roots = []
    for root_id in Site.objects.values_list("root_page_id", flat=True).distinct():
        root = Page.objects.filter(pk=root_id, content_type=home_type).first()
        if root is None:
            continue
        present = set(
            LegalPage.objects.filter(
                path__startswith=root.path, depth=root.depth + 1
            ).values_list("kind", flat=True)
        )
        for entry in LEGAL_PAGES:
            if entry["kind"] in present:
                continue
            slug = _free_slug(Page, root, entry["slug"])
            fields = legal_page_fields(entry)
            LegalPage.objects.create(
                content_type=legal_type,
                path=_next_child_path(Page, root),
                depth=root.depth + 1,
                numchild=0,
                slug=slug,
                url_path=f"{root.url_path}{slug}/",
                draft_title=fields["title"],
                locale_id=root.locale_id,
                translation_key=uuid.uuid4(),
                live=True,
                has_unpublished_changes=False,
                first_published_at=now,
                last_published_at=now,
                **fields,
            )
            Page.objects.filter(pk=root.pk).update(numchild=F("numchild") + 1)
            changed_roots.append(root.path)
    if changed_roots:
        # A historical model sends no signal: tell the page cache (Redis outlives this) that
        # footers, the sitemap and what used to be 404s at these addresses have changed.
        bump(
            "type:legal.LegalPage",
            "type:wagtailcore.Page",
            "routes",
            "urls",
            *(f"children:{path}" for path in changed_roots),
        )


class Migration(migrations.Migration):
    dependencies = [
        ("legal", "0001_initial"),
        # The home page must be the site's root by now (it replaces Wagtail's placeholder).
        ("home", "0005_default_site_from_site_url"),
    ]

    operations = [migrations.RunPython(create_legal_pages, migrations.RunPython.noop)]
