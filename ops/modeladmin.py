"""Permission helpers for wagtail-modeladmin entries that show records kept as evidence."""

from __future__ import annotations

from typing import Any

from wagtail_modeladmin.helpers import PermissionHelper


class ReadOnlyPermissionHelper(PermissionHelper):
    """List and inspect only, whatever permissions the user holds (superusers included)."""

    def user_can_create(self, user: Any) -> bool:
        return False

    def user_can_edit_obj(self, user: Any, obj: Any) -> bool:
        return False

    def user_can_delete_obj(self, user: Any, obj: Any) -> bool:
        return False


class AppendOnlyPermissionHelper(ReadOnlyPermissionHelper):
    """New records may be added (a new wording version), existing ones never changed."""

    def user_can_create(self, user: Any) -> bool:
        return PermissionHelper.user_can_create(self, user)
