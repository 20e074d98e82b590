"""Permission helpers shared by the apps' wagtail-modeladmin menus."""

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
