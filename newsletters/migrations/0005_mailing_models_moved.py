"""The outbox, the suppression list and the throttle's bucket now belong to ``mailing``.

State only: the tables stay where they are, under their old names (see mailing 0001).
"""

from __future__ import annotations

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("mailing", "0001_initial"),
        ("newsletters", "0004_contest_reminders"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reminderdelivery",
                    name="outbox",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="mailing.outboxemail"),
                ),
                migrations.DeleteModel(name="OutboxEmail"),
                migrations.DeleteModel(name="Suppression"),
                migrations.DeleteModel(name="ThrottleBucket"),
            ],
            database_operations=[],
        ),
    ]
