"""Remove what Wagtail creates on install and this site never uses: the "Moderators approval"
workflow and its task, and the "Moderators" and "Editors" groups.

They showed in the admin beside the real ones ("Relecture", "Contenu conjoint",
"Communication", "Chambre de métiers") and misled whoever picked a group or a workflow.
Anything in use is kept, and said so in the log: a group with members (removing it would take
their rights away), a workflow or task with history (deleting it would erase that history;
it is deactivated instead). The reverse does nothing: Wagtail's migrations own these objects,
and the site works without them.
"""

import logging

from django.db import migrations

logger = logging.getLogger(__name__)

WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"
WAGTAIL_DEFAULT_TASK = "Moderators approval"
WAGTAIL_DEFAULT_GROUPS = ["Moderators", "Editors"]


def remove_wagtail_defaults(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowState = apps.get_model("wagtailcore.WorkflowState")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    Task = apps.get_model("wagtailcore.Task")
    TaskState = apps.get_model("wagtailcore.TaskState")

    for workflow in Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW):
        if WorkflowState.objects.filter(workflow=workflow).exists():
            workflow.active = False
            workflow.save(update_fields=["active"])
            logger.warning("Workflow %r kept (it has history), deactivated.", workflow.name)
        else:
            workflow.delete()  # its page and snippet assignments go with it

    for task in Task.objects.filter(name=WAGTAIL_DEFAULT_TASK):
        if WorkflowTask.objects.filter(task=task, workflow__active=True).exists():
            logger.warning("Task %r kept: an active workflow uses it.", task.name)
        elif TaskState.objects.filter(task=task).exists():
            task.active = False
            task.save(update_fields=["active"])
            logger.warning("Task %r kept (it has history), deactivated.", task.name)
        else:
            task.delete()

    for group in Group.objects.filter(name__in=WAGTAIL_DEFAULT_GROUPS):
        if group.user_set.exists():
            logger.warning("Group %r kept: it has members.", group.name)
        else:
            group.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0004_newsletter_permissions"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(remove_wagtail_defaults, migrations.RunPython.noop)]
