"""Which pages are joint content, and which workflow a page goes through.

Joint content is marked page by page (``JointContentMixin.joint_partner``), wherever it sits in
the tree, so :func:`route_workflow` picks the workflow per page: "Contenu conjoint" when the
draft, the live version or the last published version is joint (any partner: failing closed),
else the one Wagtail found by tree position.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Page, PageLogEntry, Revision, Workflow

REVIEW_WORKFLOW = "Relecture"
JOINT_WORKFLOW = "Contenu conjoint"
REVIEW_TASK = "Relecture Communication"
CHAMBER_TASK = "Validation Chambre"

# Log actions that mean "this revision went live".
PUBLISH_ACTIONS = ("wagtail.publish", "wagtail.publish.scheduled")


def content_is_joint(obj: Any) -> bool:
    """Whether a page object (or the content of a revision) carries the joint marker."""
    if isinstance(obj, Revision):
        return obj.content.get("joint_partner") is not None
    return getattr(obj, "joint_partner_id", None) is not None


def live_side_is_joint(page_id: int | None) -> bool:
    """Whether what the public sees, or last saw, of this page is joint.

    True if the live row or the live revision carries the marker, or if the last revision that
    went live did (so unpublishing, removing the marker and publishing again still needs the
    chamber: removing the marker is itself a joint edit).
    """
    if page_id is None:
        return False
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        return False
    if page.live:
        specific = page.specific_deferred
        if content_is_joint(specific):
            return True
        if page.live_revision_id and content_is_joint(page.live_revision):
            return True
    last = (
        PageLogEntry.objects.filter(
            page_id=page_id, action__in=PUBLISH_ACTIONS, revision__isnull=False
        )
        .select_related("revision")
        .order_by("-timestamp", "-pk")
        .first()
    )
    return last is not None and content_is_joint(last.revision)


def needs_chamber(page: Page) -> bool:
    """Whether this page, as held in memory, must be validated by the chamber."""
    if content_is_joint(page):
        return True
    latest = page.get_latest_revision() if page.pk else None
    if latest is not None and content_is_joint(latest):
        return True
    return live_side_is_joint(page.pk)


def joint_workflow() -> Workflow | None:
    return Workflow.objects.filter(name=JOINT_WORKFLOW, active=True).first()


def route_workflow(page: Page, tree_workflow: Workflow | None) -> Workflow | None:
    """The workflow for this page: the joint one if it needs the chamber, else the tree's."""
    if tree_workflow is None:
        # Workflows are switched off, or none covers this page: nothing to route.
        return None
    if needs_chamber(page):
        return joint_workflow() or tree_workflow
    return tree_workflow


def joint_page_ids() -> set[int]:
    """Ids of every page that is joint in its row or its latest revision."""
    # Deferred: the mixin imports this module for get_workflow.
    from .mixins import JointContentMixin

    ids: set[int] = set()
    for model in _concrete_subclasses(JointContentMixin):
        ids.update(model.objects.filter(joint_partner__isnull=False).values_list("pk", flat=True))
    # "has the key" and "is not JSON null": a revision of a non-joint page stores null.
    ids.update(
        Page.objects.filter(latest_revision__content__has_key="joint_partner")
        .exclude(latest_revision__content__joint_partner=None)
        .values_list("pk", flat=True)
    )
    return ids


def _concrete_subclasses(model: type[Page]) -> list[type[Page]]:
    found: list[type[Page]] = []
    for subclass in model.__subclasses__():
        if not subclass._meta.abstract and not subclass._meta.proxy:
            found.append(subclass)
        found.extend(_concrete_subclasses(subclass))
    return found
