from celery import shared_task

from campaigns.services import signatures_erase_old_emails


@shared_task
def erase_old_signature_emails() -> int:
    """Daily: keep signers' emails only as long as needed (see the service)."""
    return signatures_erase_old_emails()
