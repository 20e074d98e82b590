"""URL configuration: the admin, feeds and utility routes, then Wagtail's page serving."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.admin.auth import require_admin_access
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from config.settings.env import env_bool
from editorial.decisions import ReviewActionView
from home import views as home_views
from mailing import webhooks
from ops.accounts import ThrottledPasswordResetView
from pagecache.decorators import cached_for_anonymous

urlpatterns = [
    path("django-admin/", admin.site.urls),
    # Wagtail's own workflow action URL, answered by the editorial app's view so that every
    # way of approving or sending back a page ends the same way (editorial.decisions).
    path(
        "admin/pages/workflow/action/<id:page_id>/<slug:action_name>/<id:task_state_id>/",
        require_admin_access(ReviewActionView.as_view()),
    ),
    # Before Wagtail's own route of the same name, which it replaces: resets are rate-limited.
    path(
        "admin/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="wagtailadmin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    # The reminders kept the addresses they had inside the newsletters app.
    path("newsletter/rappel/", include("reminders.urls")),
    path("newsletter/", include("subscriptions.urls")),
    path("inscriptions/", include("registrations.urls")),
    # Bounce and complaint reports: only the services the deployment names, with the secret.
    path("anymail/<slug:esp>/tracking/", webhooks.tracking, name="esp_tracking_webhook"),
    path("recherche/", home_views.search, name="search"),
    # The sitemap lists every live page; robots.txt names the site's host only.
    path("sitemap.xml", cached_for_anonymous("type:wagtailcore.Page")(sitemap), name="sitemap"),
    path("robots.txt", cached_for_anonymous()(home_views.robots_txt), name="robots_txt"),
    path("", include("ops.urls")),
]

if env_bool("BENCH_CEILING"):
    # `make bench-pages` only: the framework's own ceiling on the same stack.
    from bench.views import ceiling

    urlpatterns.append(path("__bench__/plafond/", ceiling))

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]
