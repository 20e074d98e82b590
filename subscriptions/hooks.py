"""Hooks through which apps above this one add to its pages without being imported here.

Register them with ``wagtail.hooks.register(NAME)`` in the other app's ``wagtail_hooks.py``:

- ``PREFERENCES_SECTION``: ``fn(request, subscriber, context) -> int | None``, a part of the
  preferences page (the contest reminders'): it adds to ``context``; for a POST of its own
  buttons it acts and returns the page's status, else None.
- ``SUBSCRIBER_ANNOTATIONS``: ``fn() -> dict[str, Expression]``, columns the subscribers'
  admin list annotates (the contest reminders' ``follows_contest``).
- ``EMAIL_POSTAL_ADDRESS``: ``fn() -> str``, the hub's postal address on one line, shown in
  the footer of every email (the site settings' address, kept by ``home``); the first
  non-empty answer wins.
"""

from __future__ import annotations

PREFERENCES_SECTION = "subscriber_preferences"
SUBSCRIBER_ANNOTATIONS = "subscriptions_subscriber_annotations"
EMAIL_POSTAL_ADDRESS = "subscriptions_email_postal_address"
