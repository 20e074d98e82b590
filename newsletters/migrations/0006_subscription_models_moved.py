"""Topics, subscribers, consent and imports now belong to ``subscriptions`` (state only)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('newsletters', '0005_reminder_models_moved'),
        ('subscriptions', '0001_initial'),
        # The reminders' foreign key leaves newsletters.Subscriber before it leaves the state.
        ('reminders', '0002_subscriber_in_subscriptions'),
    ]

    operations = [
        # The tables stay; only Django's state moves to ``subscriptions`` (its 0001_initial).
        migrations.SeparateDatabaseAndState(
            state_operations=[
            migrations.RemoveField(
                model_name='subscriber',
                name='topics',
            ),
            migrations.AlterField(
                model_name='delivery',
                name='subscriber',
                field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='deliveries', to='subscriptions.subscriber'),
            ),
            migrations.RemoveField(
                model_name='subscriberimport',
                name='created_by',
            ),
            migrations.AlterField(
                model_name='newsletterpage',
                name='topic',
                field=models.ForeignKey(help_text='La lettre est envoyée aux abonné·es confirmé·es de ce thème.', on_delete=django.db.models.deletion.PROTECT, related_name='issues', to='subscriptions.topic', verbose_name='thème'),
            ),
            migrations.AlterField(
                model_name='send',
                name='topic',
                field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='subscriptions.topic', verbose_name='thème'),
            ),
            migrations.DeleteModel(
                name='ConsentEvent',
            ),
            migrations.DeleteModel(
                name='ConsentWording',
            ),
            migrations.DeleteModel(
                name='Subscriber',
            ),
            migrations.DeleteModel(
                name='SubscriberImport',
            ),
            migrations.DeleteModel(
                name='Topic',
            ),
            ],
            database_operations=[],
        ),
    ]
