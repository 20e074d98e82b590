"""May this issue be sent now, and to whom; recording a send (``create_send``)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from wagtail.models import Page

from ops.queueing import queue_after_commit
from subscriptions.audience import mailable_subscribers

from .. import tasks
from ..models import Delivery, NewsletterPage, Send

State = Delivery.State
Status = Send.Status
OPEN_SEND_STATUSES = [Status.SCHEDULED, Status.SENDING, Status.PAUSED]


class NotSendable(Exception):
    """The issue may not be sent now; ``reasons`` says why, in French."""

    def __init__(self, reasons: list[str]) -> None:
        super().__init__(" ".join(reasons))
        self.reasons = reasons


def sendability_problems(page: NewsletterPage, *, ignore_send: Send | None = None) -> list[str]:
    """Why ``page`` cannot be sent now; an empty list means it can.

    What is sent is the live revision, so it must be the approved one: live, no later edit,
    no review under way.
    """
    problems: list[str] = []
    if not page.live or page.live_revision_id is None:
        problems.append(
            _("La lettre n'est pas publiée : elle doit être approuvée puis publiée avant l'envoi.")
        )
    elif page.has_unpublished_changes or page.live_revision_id != page.latest_revision_id:
        problems.append(
            _(
                "La lettre a été modifiée depuis son approbation : ces modifications doivent être "
                "approuvées et publiées avant l'envoi."
            )
        )
    if page.workflow_in_progress:
        problems.append(_("Une relecture de la lettre est en cours : attendez son approbation."))
    if not page.topic.is_active:
        problems.append(
            _("Le thème « %(topic)s » n'est plus proposé : personne ne recevrait cette lettre.")
            % {"topic": page.topic.name}
        )
    sends = Send.objects.filter(page=page)
    if ignore_send is not None:
        sends = sends.exclude(pk=ignore_send.pk)
    if sends.filter(status__in=OPEN_SEND_STATUSES).exists():
        problems.append(_("Un envoi de cette lettre est déjà programmé ou en cours."))
    elif done := sends.filter(status=Status.DONE).order_by("-finished_at").first():
        problems.append(
            _(
                "Cette lettre a déjà été envoyée le %(date)s. Pour les adresses en échec, "
                "utilisez « Renvoyer aux échecs »."
            )
            % {"date": timezone.localtime(done.finished_at).strftime("%d/%m/%Y à %H:%M")}
        )
    return problems


def recipient_count(page: NewsletterPage) -> int:
    """How many would receive ``page`` if it were sent now."""
    return audience(page.pk, page.topic).count()


def audience(page_id: int, topic: Any) -> Any:
    """Who a send of ``page_id`` goes to: the topic's mailable subscribers, less anyone who
    already received this issue in an earlier (cancelled) send."""
    already = Delivery.objects.filter(
        send__page_id=page_id, subscriber=OuterRef("pk"), state=State.SENT
    )
    return mailable_subscribers(topic).exclude(Exists(already))


def create_send(page: NewsletterPage, user: Any, scheduled_at: datetime | None = None) -> Send:
    """Record a send of the page's live revision, now or at ``scheduled_at``.

    Raises ``NotSendable`` if the page may not be sent; the check runs again here, with the
    page locked, whatever the form that led here showed.
    """
    with transaction.atomic():
        Page.objects.select_for_update().filter(pk=page.pk).first()
        page = NewsletterPage.objects.select_related("topic").get(pk=page.pk)
        problems = sendability_problems(page)
        if problems:
            raise NotSendable(problems)
        revision = page.live_revision
        approved = revision.as_object()
        send = Send.objects.create(
            page=page,
            revision=revision,
            topic_id=approved.topic_id,
            subject=approved.subject,
            created_by=user if getattr(user, "pk", None) else None,
            scheduled_at=scheduled_at or timezone.now(),
        )
        if send.scheduled_at <= timezone.now():
            queue_after_commit(tasks.start_send, send.pk)
    return send
