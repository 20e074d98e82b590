"""How long the subscriptions keep what a person never confirmed."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mailing.models import OutboxEmail

from .models import Subscriber

PURGE_BATCH = 500


def purge_unconfirmed_signups() -> int:
    """Delete sign-ups left unconfirmed for NEWSLETTERS_PURGE_UNCONFIRMED_DAYS, with the
    emails that name them; return how many. Idempotent; the consent ledger keeps its hashes.

    A person who asked again within the period keeps their sign-up: the latest confirmation
    email is younger than the cut-off, and its link may still be followed.
    """
    cutoff = timezone.now() - timedelta(days=settings.NEWSLETTERS_PURGE_UNCONFIRMED_DAYS)
    recently_mailed = OutboxEmail.objects.filter(created_at__gte=cutoff).values("address_hash")
    stale = Subscriber.objects.filter(
        status=Subscriber.Status.PENDING, created_at__lt=cutoff
    ).exclude(email_hash__in=recently_mailed)
    purged = 0
    while True:
        with transaction.atomic():
            batch = list(stale.values_list("pk", "email_hash")[:PURGE_BATCH])
            if not batch:
                return purged
            OutboxEmail.objects.filter(address_hash__in=[hash_ for _pk, hash_ in batch]).delete()
            Subscriber.objects.filter(pk__in=[pk for pk, _hash in batch]).delete()
            purged += len(batch)
