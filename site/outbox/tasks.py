from celery import shared_task

from .delivery import outbox_claim, outbox_deliver, outbox_due_ids
from .models import OutboxMessage


@shared_task(acks_late=True)
def send_outbox_message(message_pk: int) -> bool:
    """Send one message; on failure, come back at the time the back-off says.

    The retry time is kept in the database as well, so that the sweep below sends
    the message even if this task's retry is lost with the broker.
    """
    message = outbox_claim(message_pk=message_pk)
    if message is None:
        return False
    if outbox_deliver(message=message):
        return True
    retry_at = (
        OutboxMessage.objects.filter(pk=message_pk, status=OutboxMessage.Status.PENDING)
        .values_list("next_attempt_at", flat=True)
        .first()
    )
    if retry_at is not None:
        send_outbox_message.apply_async((message_pk,), eta=retry_at)
    return False


@shared_task
def sweep_outbox() -> int:
    """Every minute: send what is due (retries, messages whose task was lost, and
    messages a dead worker had claimed)."""
    return sum(bool(send_outbox_message(pk)) for pk in outbox_due_ids())
