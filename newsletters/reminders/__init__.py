"""Contest-vote reminders ("Me rappeler de voter").

How each reminder is sent exactly once:

1. The ``dispatch_contest_reminders`` beat task (every few minutes) looks at every live contest
   whose vote is open, computes its plan from the published dates, and finds the latest slot
   already due. Earlier unfinished slots are recorded as skipped (superseded); the due one gets
   a ``ReminderRun`` row (unique per contest and slot) and a ``send_reminder_run`` task.
2. That task claims the run with a conditional UPDATE (a lease), so two tasks for the same run
   (beat running twice, a redelivered message) do not both work on it; the loser returns.
3. For each recipient, one transaction inserts the ``ReminderDelivery`` ledger row (unique per
   contest, slot and address) and the outbox email. A concurrent insert of the same row fails
   on the unique constraint and that recipient is left to the winner: no second email, even
   when a lease ran out while its worker was still alive.
4. The run is marked sent only after every recipient has a ledger row. A worker killed midway
   leaves it unfinished; when the lease runs out the next beat hands it out again, and the
   recipients without a ledger row are done then: none is skipped.
5. The outbox sends each email once (see ``mailing.outbox``). The one window left is
   theirs: an SMTP server that accepted a message just before the worker died, before
   ``sent_at`` was written.
"""
