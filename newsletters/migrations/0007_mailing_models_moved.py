"""The outbox, the suppression list and the throttle's bucket now belong to ``mailing``.

State only: the tables stay where they are, under their old names (see mailing 0001).
"""

from __future__ import annotations

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("mailing", "0001_initial"),
        ("newsletters", "0006_subscription_models_moved"),
        # The reminders' ledger points at mailing's outbox before the outbox leaves the state.
        ("reminders", "0003_outbox_in_mailing"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="OutboxEmail"),
                migrations.DeleteModel(name="Suppression"),
                migrations.DeleteModel(name="ThrottleBucket"),
            ],
            database_operations=[],
        ),
    ]
