"""The outbox, the suppression list and the throttle's bucket, taken over from ``newsletters``.

The tables already exist (created by newsletters' migrations): only Django's state moves, and
the content types are renamed so that the permissions groups hold stay attached.
"""

from __future__ import annotations


from django.db import migrations, models

from ops.content_types import move_content_types

MOVED_MODELS = ("outboxemail", "suppression", "throttlebucket")


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletters", "0004_contest_reminders"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutboxEmail",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=40, verbose_name="type")),
                        ("address_hash", models.CharField(db_index=True, max_length=64)),
                        ("to", models.EmailField(max_length=254, verbose_name="destinataire")),
                        ("subject", models.CharField(max_length=255, verbose_name="objet")),
                        ("body_text", models.TextField()),
                        ("body_html", models.TextField(blank=True)),
                        ("headers", models.JSONField(blank=True, default=dict)),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="créé le")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="envoyé le")),
                        ("claimed_until", models.DateTimeField(blank=True, null=True)),
                        ("attempts", models.PositiveSmallIntegerField(default=0, verbose_name="tentatives")),
                        ("last_error", models.TextField(blank=True, verbose_name="dernière erreur")),
                    ],
                    options={
                        "verbose_name": "courriel en attente",
                        "verbose_name_plural": "boîte d'envoi",
                        "ordering": ["-created_at"],
                        "db_table": "newsletters_outboxemail",
                        "indexes": [models.Index(fields=["sent_at", "claimed_until"], name="newsletters_sent_at_7c68e3_idx")],
                    },
                ),
                migrations.CreateModel(
                    name="Suppression",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("address_hash", models.CharField(max_length=64, unique=True)),
                        ("reason", models.CharField(choices=[("unsubscribed", "désinscription"), ("erased", "effacement des données"), ("bounced", "adresse en erreur"), ("complaint", "signalement comme indésirable")], max_length=20, verbose_name="motif")),
                        ("created_at", models.DateTimeField(auto_now_add=True, verbose_name="depuis le")),
                    ],
                    options={
                        "verbose_name": "adresse bloquée",
                        "verbose_name_plural": "liste de blocage",
                        "ordering": ["-created_at"],
                        "db_table": "newsletters_suppression",
                    },
                ),
                migrations.CreateModel(
                    name="ThrottleBucket",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(max_length=40, unique=True)),
                        ("next_free_at", models.FloatField(default=0.0)),
                    ],
                    options={"db_table": "newsletters_throttlebucket"},
                ),
            ],
            database_operations=[],
        ),
        move_content_types(MOVED_MODELS, "newsletters", "mailing"),
    ]
