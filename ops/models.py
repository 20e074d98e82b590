"""The one table of the ops app: the heartbeat, when the cache cannot carry it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a worker last ran the task beat queues, for ``/readyz`` in every process.

    Used when the cache is the in-process one (the embedded default of ``make run``): what a
    worker writes there, the web process never sees. One row a name, updated in place.
    """

    name = models.CharField(_("nom"), max_length=40, primary_key=True)
    beaten_at = models.DateTimeField(_("dernier battement"))

    class Meta:
        verbose_name = _("battement")
        verbose_name_plural = _("battements")

    def __str__(self) -> str:
        return f"{self.name} : {self.beaten_at:%Y-%m-%d %H:%M:%S}"
