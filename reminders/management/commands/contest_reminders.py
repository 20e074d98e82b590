"""Show each contest's reminders, and send a due one now (demos and support)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.management.base import CommandError
from django.utils import timezone

from core.templatetags.carburateur_tags import datetime_fr
from programs.models import ContestPage
from reminders import dispatch
from reminders.commands import ReminderCommand


class Command(ReminderCommand):
    help = (
        "Liste les rappels de vote de chaque concours non clos (heure, état, destinataires). "
        "--send-due envoie tout de suite ce qui est dû ; --send ID CLE envoie un rappel dû "
        "(avec --force, même avant son heure)."
    )
    send_metavar = ("CONCOURS", "RAPPEL")
    send_help = "Envoyer ce rappel d'un concours (identifiant de page, clé du rappel)."
    nothing_sent = (
        "Rien n'est parti : rappel déjà envoyé, pas encore dû (voir --force), "
        "concours clos ou non publié, ou personne à prévenir."
    )

    def dispatch_due(self, hand_out: Callable[[int], Any]) -> list[int]:
        return dispatch.dispatch_due_reminders(hand_out=hand_out)

    def send_run(self, run_id: int) -> int:
        return dispatch.send_run(run_id)

    def send_slot(self, owner_id: str, slot_key: str, *, force: bool) -> tuple[str, int]:
        try:
            contest = ContestPage.objects.get(pk=int(owner_id))
        except (ValueError, ContestPage.DoesNotExist) as error:
            raise CommandError(f"Concours introuvable : {owner_id}") from error
        try:
            return contest.title, dispatch.send_slot_now(contest, slot_key, force=force)
        except LookupError as error:
            keys = ", ".join(slot.key for slot in contest.reminder_schedule()) or "aucun"
            raise CommandError(
                f"Rappel « {slot_key} » absent du plan de {contest.title} (rappels : {keys})."
            ) from error

    def list_plans(self) -> None:
        contests = ContestPage.objects.filter(vote_closes_at__gt=timezone.now()).order_by(
            "vote_closes_at", "pk"
        )
        for contest in contests:
            live = "" if contest.live else " (non publié)"
            self.stdout.write(self.style.MIGRATE_HEADING(f"{contest.title} [{contest.pk}]{live}"))
            rows = dispatch.plan_overview(contest)
            if not rows:
                self.stdout.write("  aucun rappel prévu")
            for row in rows:
                self.stdout.write(
                    f"  {row.slot.key:<18} {datetime_fr(row.slot.due_at):<42} "
                    f"{row.state:<40} {row.recipients} destinataire(s)  — {row.slot.label}"
                )
