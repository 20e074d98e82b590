"""What a person may do to a page in the admin: Wagtail's rules, minus every change for the
chamber, which reviews joint content through its workflow task and never changes a page.

Wagtail asks the page's tester at every door (editor, creation, copy, move, deletion,
unpublishing, locks, privacy, ordering, revisions, previews of the editor, bulk actions and the
listing's buttons), so the exclusion holds even if the chamber's group were given page
permissions or a task opened the editor to it. The publication guard (``editorial.enforcement``)
stays underneath, for everyone.
"""

from __future__ import annotations

from typing import Any

from wagtail.models import Page, PagePermissionTester

from .roles import is_chamber_approver


class EditorialPagePermissionTester(PagePermissionTester):
    """Refuse a chamber approver every change; anyone else gets Wagtail's answer.

    The methods not overridden here (copy, move, privacy, unscheduling, the ``*_to`` checks)
    are derived by Wagtail from these ones.
    """

    def __init__(self, user: Any, page: Page) -> None:
        super().__init__(user, page)
        self.reviews_only = is_chamber_approver(user)

    def can_add_subpage(self) -> bool:
        return not self.reviews_only and super().can_add_subpage()

    def can_edit(self) -> bool:
        return not self.reviews_only and super().can_edit()

    def can_delete(self, ignore_bulk: bool = False) -> bool:
        return not self.reviews_only and super().can_delete(ignore_bulk=ignore_bulk)

    def can_unpublish(self) -> bool:
        return not self.reviews_only and super().can_unpublish()

    def can_publish(self) -> bool:
        return not self.reviews_only and super().can_publish()

    def can_publish_subpage(self) -> bool:
        return not self.reviews_only and super().can_publish_subpage()

    def can_submit_for_moderation(self) -> bool:
        return not self.reviews_only and super().can_submit_for_moderation()

    def can_lock(self) -> bool:
        return not self.reviews_only and super().can_lock()

    def can_unlock(self) -> bool:
        return not self.reviews_only and super().can_unlock()

    def can_reorder_children(self) -> bool:
        return not self.reviews_only and super().can_reorder_children()


class EditorialPermissionsMixin:
    """For the project's base page: Wagtail asks the page for its tester, this answers."""

    def permissions_for_user(self, user: Any) -> PagePermissionTester:
        return EditorialPagePermissionTester(user, self)
