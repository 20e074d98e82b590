#!/usr/bin/env python
"""Django's command-line utility for Le Carburateur."""

from __future__ import annotations

import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 -- loads the settings module now
    except ImproperlyConfigured as error:
        # A missing variable is an operator's mistake, not a bug: say it without a traceback.
        sys.exit(f"Configuration incomplète. {error}")
    execute_from_command_line(sys.argv)
