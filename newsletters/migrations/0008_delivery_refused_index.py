"""A partial index of the ledger rows a server refused, for the send's progress page."""

from __future__ import annotations

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0007_mailing_models_moved"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("last_error", ""), _negated=True),
                fields=["send", "state"],
                name="newsletters_delivery_refused",
            ),
        ),
    ]
