"""Show the reminders of the coming registered events, and send a due one now (support)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Exists, OuterRef
from django.utils import timezone

from core.templatetags.carburateur_tags import datetime_fr
from programs.models import EventPage
from registrations.models import Registration
from reminders import events
from reminders.commands import ReminderCommand

#: How far ahead the list looks.
LISTED = timedelta(days=14)


class Command(ReminderCommand):
    help = (
        "Liste les rappels aux inscrits des événements des 14 prochains jours (heure, état, "
        "destinataires). --send-due envoie tout de suite ce qui est dû ; --send ID CLE envoie "
        "un rappel (veille, matin) dû (avec --force, même avant son heure)."
    )
    send_metavar = ("EVENEMENT", "RAPPEL")
    send_help = "Envoyer ce rappel d'un événement (identifiant de page, veille ou matin)."
    nothing_sent = (
        "Rien n'est parti : rappel déjà envoyé, pas encore dû (voir --force), "
        "événement commencé ou non publié, ou personne à prévenir."
    )

    def dispatch_due(self, hand_out: Callable[[int], Any]) -> list[int]:
        return events.dispatch_due(hand_out=hand_out)

    def send_run(self, run_id: int) -> int:
        return events.send_run(run_id)

    def send_slot(self, owner_id: str, slot_key: str, *, force: bool) -> tuple[str, int]:
        try:
            event = EventPage.objects.get(pk=int(owner_id))
        except (ValueError, EventPage.DoesNotExist) as error:
            raise CommandError(f"Événement introuvable : {owner_id}") from error
        try:
            return event.title, events.send_slot_now(event, slot_key, force=force)
        except LookupError as error:
            keys = ", ".join(slot.key for slot in events.event_schedule(event))
            raise CommandError(
                f"Rappel « {slot_key} » absent des rappels de {event.title} (rappels : {keys})."
            ) from error

    def list_plans(self) -> None:
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
