"""Show the reminders of the coming registered events, and send a due one now (support)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.templatetags.carburateur_tags import datetime_fr
from programs.models import EventPage
from registrations.models import Registration
from reminders import events

#: How far ahead the list looks.
LISTED = timedelta(days=14)


class Command(BaseCommand):
    help = (
        "Liste les rappels aux inscrits des événements des 14 prochains jours (heure, état, "
        "destinataires). --send-due envoie tout de suite ce qui est dû ; --send ID CLE envoie "
        "un rappel (veille, matin) dû (avec --force, même avant son heure)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--send-due", action="store_true", help="Envoyer maintenant les rappels dus."
        )
        parser.add_argument(
            "--send",
            nargs=2,
            metavar=("EVENEMENT", "RAPPEL"),
            help="Envoyer ce rappel d'un événement (identifiant de page, veille ou matin).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Avec --send : envoyer même si l'heure du rappel n'est pas venue.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["send"]:
            self._send_one(*options["send"], force=options["force"])
        elif options["send_due"]:
            handed = events.dispatch_due(hand_out=self._send_run)
            self.stdout.write(f"{len(handed)} rappel(s) dû(s) traité(s).")
        self._list()

    def _send_run(self, run_id: int) -> None:
        queued = events.send_run(run_id)
        self.stdout.write(f"Rappel n° {run_id} : {queued} courriel(s) mis en file d'envoi.")

    def _send_one(self, event_id: str, slot_key: str, *, force: bool) -> None:
        try:
            event = EventPage.objects.get(pk=int(event_id))
        except (ValueError, EventPage.DoesNotExist) as error:
            raise CommandError(f"Événement introuvable : {event_id}") from error
        try:
            queued = events.send_slot_now(event, slot_key, force=force)
        except LookupError as error:
            keys = ", ".join(slot.key for slot in events.event_schedule(event))
            raise CommandError(
                f"Rappel « {slot_key} » absent des rappels de {event.title} (rappels : {keys})."
            ) from error
        self.stdout.write(f"{event.title} — {slot_key} : {queued} courriel(s) mis en file d'envoi.")
        if not queued:
            self.stdout.write(
                "Rien n'est parti : rappel déjà envoyé, pas encore dû (voir --force), "
                "événement commencé ou non publié, ou personne à prévenir."
            )

    def _list(self) -> None:
        now = timezone.now()
        registered = Registration.objects.filter(event=OuterRef("pk"))
        coming = EventPage.objects.filter(
            Exists(registered), end__gt=now, start__lte=now + LISTED
        ).order_by("start", "pk")
        for event in coming:
            live = "" if event.live else " (non publié)"
            self.stdout.write(self.style.MIGRATE_HEADING(f"{event.title} [{event.pk}]{live}"))
            for row in events.plan_overview(event):
                self.stdout.write(
                    f"  {row.slot.key:<8} {datetime_fr(row.slot.due_at):<42} "
                    f"{row.state:<40} {row.recipients} destinataire(s)"
                )
