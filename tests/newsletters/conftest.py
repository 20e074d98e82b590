"""Fixtures of the newsletters tests: those of the subscriptions, and the reminders' own."""

from __future__ import annotations

from tests.reminders.fixtures import *  # noqa: F403
from tests.subscriptions.fixtures import *  # noqa: F403
from tests.subscriptions.fixtures import (  # noqa: F401 - autouse fixtures star-imports skip
    _fresh_rate_limits,
    _private_import_dir,
)
