"""The "Two-person review" workflow on the whole page tree: an editor submits, and a
moderator who neither asked for the review nor wrote the change approves it."""

from django.db import migrations

WORKFLOW_NAME = "Two-person review"
TASK_NAME = "Moderator review"


def create_workflow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    Task = apps.get_model("prisoners", "DifferentPersonApprovalTask")

    task_type, _ = ContentType.objects.get_or_create(
        app_label="prisoners", model="differentpersonapprovaltask"
    )
    task = Task.objects.filter(name=TASK_NAME).first()
    if task is None:
        task = Task.objects.create(name=TASK_NAME, content_type=task_type, active=True)
    task.groups.set(Group.objects.filter(name="Moderators"))

    workflow, _ = Workflow.objects.get_or_create(name=WORKFLOW_NAME, active=True)
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, sort_order=0)
    root = Page.objects.get(depth=1)
    WorkflowPage.objects.update_or_create(page=root, defaults={"workflow": workflow})


def remove_workflow(apps, schema_editor):
    apps.get_model("wagtailcore", "Workflow").objects.filter(name=WORKFLOW_NAME).delete()
    apps.get_model("prisoners", "DifferentPersonApprovalTask").objects.filter(
        name=TASK_NAME
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("prisoners", "0001_initial"),
        ("accounts", "0001_staff_groups"),
        ("home", "0002_create_homepage"),
    ]

    operations = [migrations.RunPython(create_workflow, remove_workflow)]
