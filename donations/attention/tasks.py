from celery import shared_task

from donations.attention.services import attention_digest_send


@shared_task
def send_attention_digest() -> dict:
    """Hourly: one email to the Board if something new needs attention."""
    digest = attention_digest_send()
    if digest is None:
        return {}
    return {"items": digest.item_count, "recipients": digest.recipient_count}
