"""The reminders' tests use the newsletters' fixtures (sign-up, emailed links) and their own."""

from __future__ import annotations

from tests.newsletters.conftest import *  # noqa: F403
from tests.newsletters.conftest import _fresh_rate_limits, _private_import_dir  # noqa: F401

from .fixtures import *  # noqa: F403
