"""Followers are subscribers of the ``subscriptions`` app now (state only: same table)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reminders", "0001_initial"),
        ("subscriptions", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="contestfollow",
                    name="subscriber",
                    field=models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="contest_follows",
                        to="subscriptions.subscriber",
                        verbose_name="abonné·e",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
