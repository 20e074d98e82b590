"""The reminders' ledger points at the outbox of ``mailing`` now (state only: same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0002_subscriber_in_subscriptions"),
        ("mailing", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="reminderdelivery",
                    name="outbox",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="mailing.outboxemail",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
