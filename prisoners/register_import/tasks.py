"""The import as a Celery task, so that a large register does not hold a request.
Only celery is imported here at module level: prisoners/models imports this
module so that workers know the task (Celery's autodiscovery looks only at
`prisoners.tasks`)."""

from celery import shared_task


@shared_task
def run_register_import(job_id: int) -> dict:
    from prisoners.models import RegisterImport
    from prisoners.models.register_import import ImportState

    from .services import run_import

    job = RegisterImport.objects.filter(pk=job_id, state=ImportState.PENDING).first()
    if job is None:  # already run (a retried message) or deleted
        return {}
    job = run_import(job=job)
    return {k: v for k, v in job.report.items() if k != "details"}
