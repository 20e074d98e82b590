"""A counting SMTP sink for the benchmark: accepts everything, keeps nothing but counts.

Run as ``python -m bench.sink PORT COUNT_FILE``; the count (messages and bytes) is written to
COUNT_FILE five times a second.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class Counter:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages += 1
        self.bytes += len(envelope.content)
        return "250 OK"


async def report(counter: Counter, path: Path) -> None:
    while True:
        path.write_text(f"{counter.messages} {counter.bytes}")
        await asyncio.sleep(0.2)


def main() -> None:
    port, path = int(sys.argv[1]), Path(sys.argv[2])
    counter = Counter()
    controller = Controller(counter, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        asyncio.run(report(counter, path))
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
