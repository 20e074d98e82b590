"""Fixtures of the subscriptions tests (see ``fixtures``)."""

from __future__ import annotations

from .fixtures import *  # noqa: F403
from .fixtures import _fresh_rate_limits, _private_import_dir  # noqa: F401 - autouse fixtures
