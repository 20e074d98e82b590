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
- ``PERSON_DATA``: ``fn(address_hash) -> dict[str, Any]``, what another app holds about the
  person with this address hash, as sections of their export (JSON-ready, French keys); an
  empty dict when it holds nothing. The admin also finds, by address, a person who is known
  only there (an event's registrant who never subscribed).
- ``PERSON_ERASURE``: ``fn(address_hash, source) -> None``, erases what another app holds about
  that person; called inside the erasure's transaction, before the person's pending emails are
  deleted (so an email it queues to them is never sent).
"""

from __future__ import annotations

PREFERENCES_SECTION = "subscriber_preferences"
SUBSCRIBER_ANNOTATIONS = "subscriptions_subscriber_annotations"
EMAIL_POSTAL_ADDRESS = "subscriptions_email_postal_address"
PERSON_DATA = "subscriptions_person_data"
PERSON_ERASURE = "subscriptions_person_erasure"
