"""Admin hooks: what the chamber sees, early refusals with a readable message, the report, the
dashboard panel and the log actions.

The refusals here are for the person in front of the screen; what makes the forbidden paths
impossible is the model-level guard in ``editorial.enforcement``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.menu import MenuItem
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.models import Page

from . import decisions, views
from .enforcement import BYPASS_LOG_ACTION, is_cleared
from .panels import add_communication_panels
from .roles import is_chamber_approver
from .routing import joint_page_ids, needs_chamber

REFUSAL = _(
    "« %(title)s » est un contenu conjoint : il ne peut être mis en ligne qu'après la "
    "validation de la Chambre de métiers. Soumettez-le à validation."
)


# --- The chamber reviews; it never changes a page (``editorial.permission_testers``) nor
# sees another draft.


@hooks.register("before_move_page")
def ask_the_tester_before_confirming_a_move(
    request: HttpRequest, page: Page, destination: Page
) -> None:
    # Wagtail's move confirmation page asks for no permission (only its POST does): ask the
    # page's tester first, so nobody is shown a move they may not make.
    if not page.permissions_for_user(request.user).can_move_to(destination):
        raise PermissionDenied


def _visible_to_chamber(pages: QuerySet[Page]) -> QuerySet[Page]:
    """What the public sees, and joint content; never another draft (nor a draft title).

    Filtered on ``id`` alone, the one field the search backend can always filter on (the
    chooser's search runs this queryset through it).
    """
    visible = Page.objects.filter(
        Q(live=True, has_unpublished_changes=False) | Q(pk__in=joint_page_ids())
    ).values_list("pk", flat=True)
    return pages.filter(id__in=list(visible))


@hooks.register("construct_explorer_page_queryset")
def chamber_explorer(parent_page: Page, pages: QuerySet[Page], request: HttpRequest) -> Any:
    return _visible_to_chamber(pages) if is_chamber_approver(request.user) else pages


@hooks.register("construct_page_chooser_queryset")
def chamber_chooser(pages: QuerySet[Page], request: HttpRequest) -> Any:
    return _visible_to_chamber(pages) if is_chamber_approver(request.user) else pages


# --- A reviewer's decision from the editor ends as from any other door (editorial.decisions).

hooks.register("before_edit_page", decisions.before_edit)
hooks.register("after_edit_page", decisions.after_edit)


# --- Publishing paths: refuse early, with a message, for anyone but an administrator.


def _blocked(page: Page, user: Any) -> bool:
    if user.is_superuser:
        return False
    specific = page.specific
    if not needs_chamber(specific):
        return False
    return not is_cleared(specific.get_latest_revision(), specific.pk)


def _refusal_redirect(request: HttpRequest, page: Page, fallback: str) -> HttpResponse:
    messages.error(request, REFUSAL % {"title": page.get_admin_display_title()})
    return redirect(get_valid_next_url_from_request(request) or fallback)


@hooks.register("before_publish_page")
def refuse_publish(request: HttpRequest, page: Page) -> HttpResponse | None:
    # Runs after the edit view saved the new revision (it stays as a draft) and before the
    # publish action: covers the Publish button, go-live dates and the revisions "revert" view.
    if _blocked(page, request.user):
        return _refusal_redirect(request, page, reverse("wagtailadmin_pages:edit", args=[page.pk]))
    return None


@hooks.register("before_create_page")
def refuse_create_and_publish(
    request: HttpRequest, parent_page: Page, page_class: type
) -> HttpResponse | None:
    # Wagtail's create view saves the new page live before publishing it, so the model guard
    # would refuse it with a bare "no permission"; say why instead.
    if request.method != "POST" or request.user.is_superuser:
        return None
    if request.POST.get("action-publish") and request.POST.get("joint_partner"):
        messages.error(request, REFUSAL % {"title": request.POST.get("title", "")})
        return redirect(request.get_full_path())
    return None


@hooks.register("before_copy_page")
def refuse_live_copy(request: HttpRequest, page: Page) -> HttpResponse | None:
    if request.method != "POST" or request.user.is_superuser:
        return None
    if not (request.POST.get("publish_copies") or request.POST.get("alias")):
        return None
    pages = [page]
    if request.POST.get("copy_subpages"):
        pages += list(page.get_descendants())
    for candidate in pages:
        if needs_chamber(candidate.specific):
            return _refusal_redirect(
                request, candidate, reverse("wagtailadmin_explore", args=[page.get_parent().pk])
            )
    return None


@hooks.register("before_bulk_action")
def refuse_bulk_publish(
    request: HttpRequest, action_type: str, objects: list[Any], action: Any
) -> HttpResponse | None:
    if action_type != "publish" or request.user.is_superuser:
        return None
    candidates = list(objects)
    if getattr(action, "cleaned_form", None) and action.cleaned_form.cleaned_data.get(
        "include_descendants"
    ):
        for obj in objects:
            candidates += list(obj.get_descendants().filter(has_unpublished_changes=True))
    for candidate in candidates:
        if isinstance(candidate, Page) and _blocked(candidate, request.user):
            return _refusal_redirect(request, candidate, reverse("wagtailadmin_explore_root"))
    return None


@hooks.register("construct_page_action_menu")
def hide_publish_for_joint(menu_items: list[Any], request: HttpRequest, context: Any) -> None:
    page = context.get("page")
    if page is None or page.pk is None or request.user.is_superuser:
        return
    if _blocked(page, request.user):
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


# --- Report, review page, dashboard, history.


@hooks.register("register_admin_urls")
def editorial_urls() -> list[Any]:
    urls = [
        path("validation/<id:task_state_id>/", views.review, name="review"),
        path(
            "comparer/<id:pk>/<revision:revision_id_a>/<revision:revision_id_b>/",
            views.CompareView.as_view(),
            name="compare",
        ),
        path("contenus-conjoints/", views.JointContentReportView.as_view(), name="joint_content"),
        path(
            "contenus-conjoints/resultats/",
            views.JointContentReportView.as_view(results_only=True),
            name="joint_content_results",
        ),
    ]
    return [path("editorial/", include((urls, "editorial"), namespace="editorial"))]


class JointContentMenuItem(MenuItem):
    def is_shown(self, request: HttpRequest) -> bool:
        return views.can_see_report(request.user)


@hooks.register("register_reports_menu_item")
def joint_content_menu_item() -> MenuItem:
    return JointContentMenuItem(
        _("Contenus conjoints"), reverse("editorial:joint_content"), icon_name="group", order=50
    )


@hooks.register("construct_homepage_panels")
def chamber_dashboard(request: HttpRequest, panels: list[Any]) -> None:
    if is_chamber_approver(request.user) or request.user.is_superuser:
        panels.append(views.AwaitingChamberPanel())
    # After the chamber's panel, which the team's own "En attente de la Chambre" gives way to.
    add_communication_panels(request.user, panels)


@hooks.register("register_log_actions")
def editorial_log_actions(actions: Any) -> None:
    actions.register_action(
        BYPASS_LOG_ACTION,
        _("Publication sans validation de la Chambre"),
        _("Publication sans validation de la Chambre (administrateur)"),
    )
