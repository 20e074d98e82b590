"""What the reminders' support commands share (``contest_reminders``, ``event_reminders``):
list the plans, send what is due now, send one slot (``--force``: before its time)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class ReminderCommand(BaseCommand):
    """A reminder kind's command: the kind says how to find, send and list its slots."""

    #: The ``--send`` arguments' names and help, in French.
    send_metavar: tuple[str, str]
    send_help: str
    #: Said when ``--send`` queued nothing.
    nothing_sent: str

    def dispatch_due(self, hand_out: Callable[[int], Any]) -> list[int]:
        raise NotImplementedError

    def send_run(self, run_id: int) -> int:
        raise NotImplementedError

    def send_slot(self, owner_id: str, slot_key: str, *, force: bool) -> tuple[str, int]:
        """Send one slot now: (the owner's title, how many emails were queued)."""
        raise NotImplementedError

    def list_plans(self) -> None:
        raise NotImplementedError

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--send-due", action="store_true", help="Envoyer maintenant les rappels dus."
        )
        parser.add_argument("--send", nargs=2, metavar=self.send_metavar, help=self.send_help)
        parser.add_argument(
            "--force",
            action="store_true",
            help="Avec --send : envoyer même si l'heure du rappel n'est pas venue.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["send"]:
            owner_id, slot_key = options["send"]
            title, queued = self.send_slot(owner_id, slot_key, force=options["force"])
            self.stdout.write(f"{title} — {slot_key} : {queued} courriel(s) mis en file d'envoi.")
            if not queued:
                self.stdout.write(self.nothing_sent)
        elif options["send_due"]:
            handed = self.dispatch_due(self._send_run)
            self.stdout.write(f"{len(handed)} rappel(s) dû(s) traité(s).")
        self.list_plans()

    def _send_run(self, run_id: int) -> None:
        queued = self.send_run(run_id)
        self.stdout.write(f"Rappel n° {run_id} : {queued} courriel(s) mis en file d'envoi.")
