"""Create the "Relecture" and "Contenu conjoint" workflows and their tasks (idempotent,
reversible), and assign "Relecture" to the root page in place of Wagtail's default workflow.

"Contenu conjoint" is assigned to no subtree: ``BasePage.get_workflow`` routes joint pages to
it wherever they sit (see ``editorial.routing``).
"""

from django.db import migrations

COMMUNICATION = "Communication"
CHAMBER = "Chambre de métiers"
REVIEW_TASK = "Relecture Communication"
CHAMBER_TASK = "Validation Chambre"
REVIEW_WORKFLOW = "Relecture"
JOINT_WORKFLOW = "Contenu conjoint"
WAGTAIL_DEFAULT_WORKFLOW = "Moderators approval"


def _task(apps, model_name, name, group):
    ContentType = apps.get_model("contenttypes.ContentType")
    model = apps.get_model("editorial", model_name)
    content_type, _ = ContentType.objects.get_or_create(
        app_label="editorial", model=model_name.lower()
    )
    task, _ = model.objects.get_or_create(
        name=name, defaults={"content_type": content_type, "active": True}
    )
    task.groups.set([group])
    return task


def _workflow(apps, name, tasks):
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowTask = apps.get_model("wagtailcore.WorkflowTask")
    workflow, _ = Workflow.objects.get_or_create(name=name, defaults={"active": True})
    WorkflowTask.objects.filter(workflow=workflow).exclude(task__in=tasks).delete()
    for order, task in enumerate(tasks):
        WorkflowTask.objects.update_or_create(
            workflow=workflow, task_id=task.pk, defaults={"sort_order": order}
        )
    return workflow


def create_workflows(apps, schema_editor):
    Group = apps.get_model("auth.Group")
    Page = apps.get_model("wagtailcore.Page")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")

    review = _task(apps, "FourEyesReviewTask", REVIEW_TASK, Group.objects.get(name=COMMUNICATION))
    chamber = _task(apps, "ChamberApprovalTask", CHAMBER_TASK, Group.objects.get(name=CHAMBER))
    relecture = _workflow(apps, REVIEW_WORKFLOW, [review])
    _workflow(apps, JOINT_WORKFLOW, [review, chamber])
    WorkflowPage.objects.update_or_create(
        page=Page.objects.get(depth=1), defaults={"workflow": relecture}
    )


def remove_workflows(apps, schema_editor):
    Page = apps.get_model("wagtailcore.Page")
    Workflow = apps.get_model("wagtailcore.Workflow")
    WorkflowPage = apps.get_model("wagtailcore.WorkflowPage")
    Task = apps.get_model("wagtailcore.Task")

    root = Page.objects.get(depth=1)
    default = Workflow.objects.filter(name=WAGTAIL_DEFAULT_WORKFLOW).first()
    WorkflowPage.objects.filter(page=root, workflow__name=REVIEW_WORKFLOW).delete()
    if default is not None:
        WorkflowPage.objects.get_or_create(page=root, defaults={"workflow": default})
    Workflow.objects.filter(name__in=[REVIEW_WORKFLOW, JOINT_WORKFLOW]).delete()
    Task.objects.filter(name__in=[REVIEW_TASK, CHAMBER_TASK]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("editorial", "0002_create_groups"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_workflows, remove_workflows)]
