"""The event ``make bench-load``'s registration scenario fills, made in the stack's database.

Run through the stack's ``manage.py shell`` (its settings, its database): prints the new
event's id. A new event each run, so a run never finds the seats of an earlier one taken.
"""

from __future__ import annotations

from datetime import timedelta


def create_event(capacity: int) -> int:
    """Publish an event in two weeks under the agenda, open for registration on the site with
    ``capacity`` seats and a waiting list, no questions; return its id."""
    from django.utils import timezone

    from programs.models import EventIndexPage, EventPage

    agenda = EventIndexPage.objects.order_by("pk").first()
    if agenda is None:
        raise SystemExit("Aucun agenda : chargez la démo d'abord (load_demo).")
    start = timezone.now() + timedelta(days=14)
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    event = EventPage(
        title="Banc d'essai : réunion d'information",
        slug=f"banc-essai-inscriptions-{stamp}",
        start=start,
        end=start + timedelta(hours=2),
        place="Salle de formation, Le Carburateur",
        capacity=capacity,
        registration_open=True,
        waiting_list=True,
    )
    agenda.add_child(instance=event)
    event.save_revision().publish()
    print(event.pk)
    return event.pk
