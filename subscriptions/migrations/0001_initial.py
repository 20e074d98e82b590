"""The subscriptions' models, moved from ``newsletters`` without touching their tables.

The tables keep their names (``Meta.db_table``); only Django's state moves here, with the
content types, so that the permissions groups hold (``newsletters.add_subscriber`` becomes
``subscriptions.add_subscriber``) stay attached. On a fresh database there is nothing to rename.
"""

import django.db.models.deletion
import django.db.models.functions.text
import uuid
from django.conf import settings
from django.db import migrations, models

from ops.content_types import move_content_types


MOVED_MODELS = ["consentevent", "consentwording", "subscriber", "subscriberimport", "topic"]


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("contenttypes", "0002_remove_content_type_name"),
        ("newsletters", "0004_contest_reminders"),
        # Creates newsletters.subscriber's content type for its group permissions: rename after.
        ("editorial", "0004_newsletter_permissions"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.CreateModel(
                name='ConsentWording',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('version', models.PositiveIntegerField(editable=False, unique=True, verbose_name='version')),
                    ('text', models.TextField(verbose_name='texte')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                ],
                options={
                    'verbose_name': 'texte de consentement',
                    'verbose_name_plural': 'textes de consentement',
                    'db_table': 'newsletters_consentwording',
                    'ordering': ['-version'],
                },
            ),
            migrations.CreateModel(
                name='Topic',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('name', models.CharField(max_length=120, unique=True, verbose_name='nom')),
                    ('slug', models.SlugField(help_text='Utilisé dans les imports CSV et les liens ; ne le changez pas à la légère.', max_length=80, unique=True, verbose_name='identifiant')),
                    ('description', models.CharField(blank=True, max_length=255, verbose_name='description')),
                    ('is_active', models.BooleanField(default=True, help_text='Décochez pour retirer ce thème du formulaire sans perdre les abonné·es.', verbose_name="proposé à l'inscription")),
                    ('sort_order', models.PositiveSmallIntegerField(default=0, verbose_name='ordre')),
                ],
                options={
                    'verbose_name': 'thème',
                    'verbose_name_plural': 'thèmes',
                    'db_table': 'newsletters_topic',
                    'ordering': ['sort_order', 'name'],
                },
            ),
            migrations.CreateModel(
                name='ConsentEvent',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('subscription', "demande d'inscription"), ('confirmation', 'confirmation'), ('topics_changed', 'changement de thèmes'), ('unsubscription', 'désinscription'), ('erasure', 'effacement'), ('import', 'import (consentement déclaré)'), ('contest_follow', 'demande de rappel de vote'), ('follow_confirmed', "confirmation d'un rappel de vote"), ('contest_opt_out', "refus des rappels d'un concours")], max_length=20, verbose_name='événement')),
                    ('occurred_at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='date')),
                    ('address_hash', models.CharField(db_index=True, max_length=64, verbose_name="empreinte de l'adresse")),
                    ('topics', models.JSONField(blank=True, default=list, verbose_name='thèmes')),
                    ('source', models.CharField(max_length=255, verbose_name='source')),
                    ('client_network', models.CharField(blank=True, help_text='Adresse IP tronquée : /24 en IPv4, /48 en IPv6.', max_length=43, verbose_name='réseau du client')),
                    ('wording', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='events', to='subscriptions.consentwording', verbose_name='texte de consentement')),
                ],
                options={
                    'verbose_name': 'événement de consentement',
                    'verbose_name_plural': 'registre des consentements',
                    'db_table': 'newsletters_consentevent',
                    'ordering': ['-occurred_at', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='SubscriberImport',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='créé le')),
                    ('original_name', models.CharField(max_length=255, verbose_name='fichier')),
                    ('stored_path', models.CharField(max_length=500)),
                    ('consent_source', models.CharField(max_length=200, verbose_name='source du consentement')),
                    ('default_topics', models.JSONField(blank=True, default=list)),
                    ('status', models.CharField(choices=[('queued', "en file d'attente"), ('validating', 'vérification en cours'), ('invalid', 'refusé : lignes invalides'), ('importing', 'import en cours'), ('done', 'terminé'), ('failed', 'échec')], default='queued', max_length=12)),
                    ('total_rows', models.PositiveIntegerField(default=0)),
                    ('processed_rows', models.PositiveIntegerField(default=0)),
                    ('created_count', models.PositiveIntegerField(default=0)),
                    ('merged_count', models.PositiveIntegerField(default=0)),
                    ('error_count', models.PositiveIntegerField(default=0)),
                    ('errors', models.JSONField(blank=True, default=list)),
                    ('message', models.TextField(blank=True)),
                    ('finished_at', models.DateTimeField(blank=True, null=True)),
                    ('created_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'verbose_name': "import d'abonné·es",
                    'verbose_name_plural': "imports d'abonné·es",
                    'db_table': 'newsletters_subscriberimport',
                    'ordering': ['-created_at'],
                },
            ),
            migrations.CreateModel(
                name='Subscriber',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('public_id', models.UUIDField(default=uuid.uuid4, editable=False, unique=True)),
                    ('email', models.EmailField(max_length=254, verbose_name='adresse électronique')),
                    ('email_hash', models.CharField(editable=False, max_length=64, unique=True)),
                    ('status', models.CharField(choices=[('pending', 'en attente de confirmation'), ('confirmed', 'confirmé'), ('unsubscribed', 'désinscrit')], default='pending', max_length=16, verbose_name='statut')),
                    ('source', models.CharField(help_text="Page du formulaire ou import d'où vient l'inscription.", max_length=255, verbose_name='source')),
                    ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='inscrit le')),
                    ('confirmed_at', models.DateTimeField(blank=True, null=True, verbose_name='confirmé le')),
                    ('unsubscribed_at', models.DateTimeField(blank=True, null=True, verbose_name='désinscrit le')),
                    ('topics', models.ManyToManyField(blank=True, related_name='subscribers', to='subscriptions.topic', verbose_name='thèmes')),
                ],
                options={
                    'verbose_name': 'abonné·e',
                    'verbose_name_plural': 'abonné·es',
                    'db_table': 'newsletters_subscriber',
                    'ordering': ['-created_at'],
                    'indexes': [models.Index(fields=['status', 'created_at'], name='newsletters_status_49b597_idx')],
                    'constraints': [models.UniqueConstraint(django.db.models.functions.text.Lower('email'), name='newsletters_subscriber_email_ci_unique')],
                },
            ),
            ],
            database_operations=[],
        ),
        move_content_types(MOVED_MODELS, "newsletters", "subscriptions"),
    ]
