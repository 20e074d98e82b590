"""One registration in a process of its own, for the concurrency test (test_concurrency.py).

``python -m tests.registrations.race <event id> <address> <go file>`` with DATABASE_URL set:
it sets Django up, waits until the go file exists (so that both processes start registering
at the same instant), registers, and prints the outcome's status as JSON on its last line.
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path


def main(event_id: int, address: str, go: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    from programs.models import EventPage
    from registrations import services

    event = EventPage.objects.get(pk=event_id)
    deadline = time.monotonic() + 120
    while not go.exists():
        if time.monotonic() > deadline:
            raise SystemExit("le signal de départ n'est jamais venu")
        time.sleep(0.01)
    outcome = services.register(event, name=address, email=address)
    print(json.dumps({"status": outcome.status, "position": outcome.position}))


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2], Path(sys.argv[3]))
