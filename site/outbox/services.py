"""Writing messages to the outbox and sending them, exactly once."""

import logging

from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone

from . import codec, sealing
from .models import OutboxMessage
from .tasks import send_outbox_message

logger = logging.getLogger(__name__)


def outbox_enqueue(*, message: EmailMessage) -> OutboxMessage:
    """Store `message`, sealed, in the current transaction and send it once that
    commits. Its template (codec.TEMPLATE_HEADER) and its recipients' domains are
    kept in the clear for the outbox screen."""
    payload = codec.encode(message)
    recipients = payload["to"] + payload["cc"] + payload["bcc"]
    row = OutboxMessage.objects.create(
        template=codec.template_of(message),
        recipient_domains=", ".join(sealing.domains_of(recipients))[:255],
        recipients_digest=sealing.recipients_digest(recipients),
        sealed=sealing.seal(payload),
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _schedule(row.pk))
    return row


def _schedule(message_pk: int) -> None:
    try:
        send_outbox_message.delay(message_pk)
    except Exception:  # the broker is down: the periodic sweep will send it
        logger.warning("could not enqueue outbox message %s", message_pk, exc_info=True)


def outbox_retry(*, message_pk: int) -> None:
    """Whoever runs the site sends a failed message again."""
    OutboxMessage.objects.filter(
        pk=message_pk, status=OutboxMessage.Status.FAILED
    ).update(
        status=OutboxMessage.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _schedule(message_pk))
