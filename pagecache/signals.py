"""Which changes bump which tags, and which loaded objects record them.

Recording is automatic for what a render loads from the database: every page instance records
``page:<id>``, every instance of a tracked model (settings, snippets, images, tags, consent
wording, topics) records ``model:<app.Model>``. Code that shows the *result of a query* rather
than the rows it loaded (a count, "the next three events", a menu kept in the cache) records
what it depends on itself, with ``pagecache.record`` or ``pagecache.memo``.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.signals import post_delete, post_init, post_save, pre_save

from wagtail.models import Page, PageViewRestriction, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from . import tags as tagging

# Saves that touch only these fields change the draft, not what visitors see.
DRAFT_ONLY_FIELDS = frozenset(
    {
        "latest_revision",
        "latest_revision_created_at",
        "draft_title",
        "has_unpublished_changes",
        "wagtail_admin_comments",
        "locked",
        "locked_at",
        "locked_by",
        "numchild",
    }
)
# Saves that only record facts about an image file that pages do not show.
IMAGE_BOOKKEEPING_FIELDS = frozenset({"file_hash", "file_size"})

#: Models whose changes invalidate the pages that loaded them, besides settings and snippets.
TRACKED_MODELS = (
    "wagtailimages.Image",
    "wagtaildocs.Document",
    "taggit.Tag",
    "subscriptions.Topic",
    "subscriptions.ConsentWording",
)
#: Changes that can turn a 404 into a page or a redirect.
ROUTE_MODELS = ("wagtailredirects.Redirect", "wagtaildocs.Document")

_tracked: dict[type[models.Model], str | None] = {}


def _is_settings(model: type[models.Model]) -> bool:
    from wagtail.contrib.settings.models import BaseGenericSetting, BaseSiteSetting

    return issubclass(model, BaseSiteSetting | BaseGenericSetting)


def _is_tracked(model: type[models.Model]) -> bool:
    from wagtail.snippets.models import get_snippet_models

    if _is_settings(model):
        return True
    if model._meta.label in TRACKED_MODELS or model in (Site,):
        return True
    return model in get_snippet_models() and not issubclass(model, Page)


def tracked_tag(model: type[models.Model]) -> str | None:
    """``model:<label>`` for a tracked model, None for any other (decided once per class)."""
    if model not in _tracked:
        _tracked[model] = tagging.model_tag(model) if _is_tracked(model) else None
    return _tracked[model]


def page_change_tags(page: Page) -> list[str]:
    """What a change to ``page`` makes stale: itself, its parent's listing, its type's
    listings anywhere (home page sections, the sitemap) and any 404 that may now be it."""
    tags = [f"page:{page.pk}", tagging.type_tag(type(page)), "type:wagtailcore.Page", "routes"]
    if page.path:
        tags.append(f"children:{page.path[: -page.steplen]}")
    return tags


def _bump_page(page: Page) -> None:
    tags = page_change_tags(page)
    if _is_or_under_site_root(page):
        # Sites are cached with their root page, whose number of children is part of it.
        tags.append(tagging.model_tag(Site))
    tagging.bump(*tags)


def _is_or_under_site_root(page: Page) -> bool:
    if page.depth is not None and page.depth <= 3:  # the usual root (depth 2) or its children
        return True
    paths = [page.path, page.path[: -page.steplen]]
    return Site.objects.filter(root_page__path__in=paths).exists()


def _purge_frontend_cache(page: Page) -> None:
    """With a CDN configured, Wagtail purges the page itself; purge its parent's listing and
    the home page too, which show it. Other pages that mention it (related pages, badges)
    expire from the CDN after ``PAGECACHE_CDN_MAX_AGE``."""
    if not getattr(settings, "WAGTAILFRONTENDCACHE", None):
        return
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache

    pages = [p for p in (page.get_parent(), page.get_site_root()) if p is not None]
    if pages:
        purge_pages_from_cache([p.specific for p in pages])


# --- Recording.


def _on_init(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if instance.pk is None:
        return
    if isinstance(instance, Page):
        tagging.record(f"page:{instance.pk}")
        return
    tag = tracked_tag(sender)
    if tag is not None:
        tagging.record(tag)


def loaded_tags(instance: models.Model) -> set[str]:
    """The tags of ``instance`` and of what was loaded with it (``select_related``, and
    ``prefetch_related`` without ``to_attr``), as ``_on_init`` recorded them when they loaded.

    A piece rendered later from these objects (a card kept as a fragment) loads none of them
    itself, so its collector would not hear of them: it records these instead.
    """
    tags: set[str] = set()
    seen: set[int] = set()
    pending: list[Any] = [instance]
    while pending:
        obj = pending.pop()
        if not isinstance(obj, models.Model) or id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, Page):
            tags.add(f"page:{obj.pk}")
        else:
            tag = tracked_tag(type(obj))
            if tag is not None:
                tags.add(tag)
        pending.extend(obj._state.fields_cache.values())
        for related in getattr(obj, "_prefetched_objects_cache", {}).values():
            pending.extend(getattr(related, "_result_cache", None) or ())
    return tags


# --- Invalidation.


def _before_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A page whose URL changes (new slug) changes every link to it: bump ``urls``."""
    if not isinstance(instance, Page) or instance.pk is None:
        return
    update_fields = kwargs.get("update_fields")
    if update_fields is not None and not {"slug", "url_path"} & set(update_fields):
        return
    old_url_path = Page.objects.filter(pk=instance.pk).values_list("url_path", flat=True).first()
    if old_url_path is not None and old_url_path != instance.url_path:
        tagging.bump("urls")


def _after_save(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    update_fields = kwargs.get("update_fields")
    if kwargs.get("created") and _is_settings(sender):
        # Wagtail creates a settings row with its defaults the first time a page or the admin
        # reads it: what pages showed before is exactly what it holds.
        return
    if isinstance(instance, Page):
        if update_fields is None or not set(update_fields) <= DRAFT_ONLY_FIELDS:
            _bump_page(instance)
        return
    _bump_model(sender, instance, update_fields)


def _after_delete(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    if isinstance(instance, Page):
        _bump_page(instance)
    else:
        _bump_model(sender, instance, None)


def _bump_model(sender: type[models.Model], instance: models.Model, update_fields: Any) -> None:
    label = sender._meta.label
    if (
        label == "wagtailimages.Image"
        and update_fields is not None
        and set(update_fields) <= IMAGE_BOOKKEEPING_FIELDS
    ):
        return
    if sender in (Site, PageViewRestriction):
        # A new host or root, or a section made private, changes what every page shows.
        tagging.bump(tagging.model_tag(sender), "urls", "routes")
        return
    if label in ROUTE_MODELS:
        tagging.bump("routes")
    tag = tracked_tag(sender)
    if tag is not None:
        tagging.bump(tag)


def _rendition_deleted(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    """A rendition removed without its image changing (a purge, a new focal point, a task that
    drops an image's set) leaves its file's URL in what was kept: pages and fragments that show
    images hold their renditions' URLs, so the images' tag moves."""
    from wagtail.images import get_image_model

    tagging.bump(tagging.model_tag(get_image_model()))


def _on_publish_change(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    _bump_page(instance)
    _purge_frontend_cache(instance)


def _on_move(sender: type[Page], instance: Page, **kwargs: Any) -> None:
    tagging.bump("urls", tagging.model_tag(Site), *page_change_tags(instance))


def connect() -> None:
    post_init.connect(_on_init, dispatch_uid="pagecache_record")
    pre_save.connect(_before_save, dispatch_uid="pagecache_url_change")
    post_save.connect(_after_save, dispatch_uid="pagecache_save")
    post_delete.connect(_after_delete, dispatch_uid="pagecache_delete")
    from wagtail.images import get_image_model

    post_delete.connect(
        _rendition_deleted,
        sender=get_image_model().get_rendition_model(),
        dispatch_uid="pagecache_rendition_deleted",
    )
    page_published.connect(_on_publish_change, dispatch_uid="pagecache_published")
    page_unpublished.connect(_on_publish_change, dispatch_uid="pagecache_unpublished")
    post_page_move.connect(_on_move, dispatch_uid="pagecache_moved")
