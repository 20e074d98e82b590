"""Show each contest's reminders, and send a due one now (demos and support)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from core.templatetags.carburateur_tags import datetime_fr
from programs.models import ContestPage
from reminders import dispatch


class Command(BaseCommand):
    help = (
        "Liste les rappels de vote de chaque concours non clos (heure, état, destinataires). "
        "--send-due envoie tout de suite ce qui est dû ; --send ID CLE envoie un rappel dû "
        "(avec --force, même avant son heure)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--send-due", action="store_true", help="Envoyer maintenant les rappels dus."
        )
        parser.add_argument(
            "--send",
            nargs=2,
            metavar=("CONCOURS", "RAPPEL"),
            help="Envoyer ce rappel d'un concours (identifiant de page, clé du rappel).",
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
            handed = dispatch.dispatch_due_reminders(hand_out=self._send_run)
            self.stdout.write(f"{len(handed)} rappel(s) dû(s) traité(s).")
        self._list()

    def _send_run(self, run_id: int) -> None:
        queued = dispatch.send_run(run_id)
        self.stdout.write(f"Rappel n° {run_id} : {queued} courriel(s) mis en file d'envoi.")

    def _send_one(self, contest_id: str, slot_key: str, *, force: bool) -> None:
        try:
            contest = ContestPage.objects.get(pk=int(contest_id))
        except (ValueError, ContestPage.DoesNotExist) as error:
            raise CommandError(f"Concours introuvable : {contest_id}") from error
        try:
            queued = dispatch.send_slot_now(contest, slot_key, force=force)
        except LookupError as error:
            keys = ", ".join(slot.key for slot in contest.reminder_schedule()) or "aucun"
            raise CommandError(
                f"Rappel « {slot_key} » absent du plan de {contest.title} (rappels : {keys})."
            ) from error
        self.stdout.write(
            f"{contest.title} — {slot_key} : {queued} courriel(s) mis en file d'envoi."
        )
        if not queued:
            self.stdout.write(
                "Rien n'est parti : rappel déjà envoyé, pas encore dû (voir --force), "
                "concours clos ou non publié, ou personne à prévenir."
            )

    def _list(self) -> None:
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
