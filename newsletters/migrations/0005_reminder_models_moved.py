"""The contest-reminder models moved to the ``reminders`` app: state only, tables are kept."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("newsletters", "0004_contest_reminders"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="ContestFollow"),
                migrations.DeleteModel(name="ReminderDelivery"),
                migrations.DeleteModel(name="ReminderRun"),
            ],
            database_operations=[],
        ),
    ]
