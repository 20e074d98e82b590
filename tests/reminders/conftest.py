"""The reminders' tests use the subscriptions' fixtures (sign-up, emailed links) and their own."""

from __future__ import annotations

from tests.subscriptions.fixtures import *  # noqa: F403
from tests.subscriptions.fixtures import (  # noqa: F401 - autouse fixtures star-imports skip
    _fresh_rate_limits,
    _private_import_dir,
)

from .event_fixtures import *  # noqa: F403
from .fixtures import *  # noqa: F403
