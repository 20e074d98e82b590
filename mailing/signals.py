"""Signals for the apps above ``mailing``, which must not be imported from here."""

from __future__ import annotations

from django.dispatch import Signal

#: The sending service reported an address (bounce, complaint, unsubscription), now suppressed.
#: Sent inside the transaction that suppressed it, with ``address_hash``, ``reason`` (a
#: ``Suppression.Reason``) and ``source`` (which service and report, for the consent ledger).
address_reported = Signal()
