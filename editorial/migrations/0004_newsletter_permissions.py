"""Give the communications team what running the newsletter takes (idempotent, reversible).

Sending an issue needs ``newsletters.add_send`` and pausing, resuming or cancelling one
``newsletters.change_send`` (see ``newsletters.send_views``); without them only superusers could
send. The team also reads the subscriber list and imports consented lists. Erasing a subscriber
(``delete_subscriber``) stays with administrators: it is irreversible.
"""

from django.db import migrations

COMMUNICATION = "Communication"
PERMISSIONS = [
    ("send", "add_send", "Can add send"),
    ("send", "change_send", "Can change send"),
    ("send", "view_send", "Can view send"),
    ("subscriber", "view_subscriber", "Can view subscriber"),
    ("subscriber", "add_subscriber", "Can add subscriber"),
]


def _app_label(apps, model):
    """The app of ``model`` at this point of the history: subscribers moved to subscriptions."""
    for app_label in ("subscriptions", "newsletters"):
        try:
            return apps.get_model(app_label, model)._meta.app_label
        except LookupError:
            continue
    raise LookupError(model)


def _permissions(apps):
    ContentType = apps.get_model("contenttypes.ContentType")
    Permission = apps.get_model("auth.Permission")
    for model, codename, name in PERMISSIONS:
        content_type, _ = ContentType.objects.get_or_create(
            app_label=_app_label(apps, model), model=model
        )
        permission, _ = Permission.objects.get_or_create(
            content_type=content_type, codename=codename, defaults={"name": name}
        )
        yield permission


def grant(apps, schema_editor):
    group, _ = apps.get_model("auth.Group").objects.get_or_create(name=COMMUNICATION)
    group.permissions.add(*_permissions(apps))


def revoke(apps, schema_editor):
    group = apps.get_model("auth.Group").objects.filter(name=COMMUNICATION).first()
    if group is not None:
        group.permissions.remove(*_permissions(apps))


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0003_create_workflows"),
        ("newsletters", "0004_contest_reminders"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
