from celery import shared_task
from django.core.management import call_command


@shared_task
def publish_scheduled_pages():
    """Publish pages whose go-live time has come and unpublish expired ones."""
    call_command("publish_scheduled", verbosity=0)
