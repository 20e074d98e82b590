"""Writing "sent" after the SMTP server has accepted a message, whatever the database does.

Once the server has replied 250 the message is out; the write that records it (an outbox row,
a newsletter delivery) must not be lost to a dropped database connection (PostgreSQL restarted
or failed over, the session ended by an administrator or a proxy). Given up, it would leave the
row claimed but unsent, and the message would go out a second time once the claim ran out.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import TypeVar

from django.db import InterfaceError, OperationalError
from django.db import connection as db_connection

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Pauses between the tries: a few seconds in all, time for a new connection or a failover.
RETRY_DELAYS = (0.1, 0.5, 1.0, 2.0)


def record_after_delivery(write: Callable[[], T], what: str) -> T:
    """Run ``write`` (an idempotent "sent" UPDATE), again on a new connection if it is lost.

    ``write`` must be safe to repeat: each caller's UPDATE only matches while its claim still
    holds. Inside a transaction a new connection would lose the transaction's earlier work, so
    there the error is raised at once.
    """
    for delay in (*RETRY_DELAYS, None):
        try:
            return write()
        except (OperationalError, InterfaceError):
            if delay is None or db_connection.in_atomic_block:
                raise
            logger.warning(
                "Connexion à la base perdue en notant l'envoi de %s ; nouvel essai.", what
            )
            db_connection.close()
            time.sleep(delay)
    raise AssertionError("unreachable")  # the last try returns or raises
