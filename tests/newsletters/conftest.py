"""Fixtures of the newsletters tests: those of the subscriptions, and the reminders' own."""

from __future__ import annotations

from tests.subscriptions.fixtures import *  # noqa: F403
from tests.subscriptions.fixtures import SIGNUP_URL, link_to, page_text, signup_data  # noqa: F401

# Fixtures of the contest-vote reminder tests.
from .reminder_fixtures import *  # noqa: F403
