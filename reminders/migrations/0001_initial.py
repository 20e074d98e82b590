"""The contest-reminder models, moved here from ``newsletters`` with their tables.

The tables exist already (``newsletters`` 0004): only Django's state is created here, and the
content types are renamed so that the permissions groups hold stay attached.
"""

import django.db.models.deletion
from django.db import migrations, models

from ops.content_types import move_content_types

MODELS = ("contestfollow", "reminderdelivery", "reminderrun")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletters", "0005_reminder_models_moved"),
        ("programs", "0004_reminder_plan_default_hours"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
            migrations.CreateModel(
                name='ContestFollow',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                    ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='suivi confirmé le')),
                    ('opted_out_at', models.DateTimeField(blank=True, null=True, verbose_name='rappels refusés le')),
                    ('contest', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.contestpage', verbose_name='concours')),
                    ('subscriber', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='contest_follows', to='newsletters.subscriber', verbose_name='abonné·e')),
                ],
                options={
                    'db_table': 'newsletters_contestfollow',
                    'verbose_name': "suivi d'un concours",
                    'verbose_name_plural': 'suivis de concours',
                    'constraints': [models.UniqueConstraint(fields=('contest', 'subscriber'), name='newsletters_contest_follow_unique')],
                },
            ),
            migrations.CreateModel(
                name='ReminderDelivery',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('slot_key', models.CharField(max_length=40, verbose_name='rappel')),
                    ('address_hash', models.CharField(max_length=64)),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                    ('contest', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.contestpage', verbose_name='concours')),
                    ('outbox', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='newsletters.outboxemail')),
                ],
                options={
                    'db_table': 'newsletters_reminderdelivery',
                    'verbose_name': 'rappel envoyé',
                    'verbose_name_plural': 'rappels envoyés',
                    'constraints': [models.UniqueConstraint(fields=('contest', 'slot_key', 'address_hash'), name='newsletters_reminder_delivery_once')],
                },
            ),
            migrations.CreateModel(
                name='ReminderRun',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('slot_key', models.CharField(max_length=40, verbose_name='rappel')),
                    ('label', models.CharField(max_length=120, verbose_name='libellé')),
                    ('due_at', models.DateTimeField(verbose_name='prévu le')),
                    ('status', models.CharField(choices=[('pending', 'à envoyer'), ('sending', 'envoi en cours'), ('sent', 'envoyé'), ('skipped', 'non envoyé')], default='pending', max_length=10, verbose_name='état')),
                    ('skip_reason', models.CharField(blank=True, choices=[('superseded', 'remplacé par un rappel plus récent déjà dû'), ('closed', 'vote clos'), ('unpublished', 'concours dépublié'), ('removed', 'retiré du plan')], max_length=12, verbose_name='motif')),
                    ('claimed_until', models.DateTimeField(blank=True, null=True)),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                    ('finished_at', models.DateTimeField(blank=True, null=True, verbose_name='terminé le')),
                    ('contest', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='programs.contestpage', verbose_name='concours')),
                ],
                options={
                    'db_table': 'newsletters_reminderrun',
                    'verbose_name': 'envoi de rappel',
                    'verbose_name_plural': 'envois de rappels',
                    'ordering': ['due_at', 'pk'],
                    'constraints': [models.UniqueConstraint(fields=('contest', 'slot_key'), name='newsletters_reminder_run_unique')],
                },
            ),
            ],
        ),
        move_content_types(MODELS, "newsletters", "reminders"),
    ]
