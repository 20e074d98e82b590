"""Hooks through which apps above this one add to its pages without being imported here.

Register them with ``wagtail.hooks.register(NAME)`` in the other app's ``wagtail_hooks.py``:

- ``PREFERENCES_CONTEXT``: ``fn(subscriber) -> dict``, more context for the preferences page.
- ``PREFERENCES_ACTION``: ``fn(request, subscriber) -> (context, status) | None``, a button of
  the preferences page that is not the topics form; None when the POST is not its own.
- ``SUBSCRIBER_ANNOTATIONS``: ``fn() -> dict[str, Expression]``, columns the subscribers'
  admin list annotates (the contest reminders' ``follows_contest``).
"""

from __future__ import annotations

PREFERENCES_CONTEXT = "subscriptions_preferences_context"
PREFERENCES_ACTION = "subscriptions_preferences_action"
SUBSCRIBER_ANNOTATIONS = "subscriptions_subscriber_annotations"
