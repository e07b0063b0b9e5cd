"""Writing messages to the outbox and sending them, exactly once."""

import datetime
import logging
import random

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import models, transaction
from django.utils import timezone

from . import codec
from .models import OutboxMessage

logger = logging.getLogger(__name__)


def outbox_enqueue(*, message: EmailMessage) -> OutboxMessage:
    """Store `message` in the current transaction and send it once that commits."""
    payload = codec.encode(message)
    row = OutboxMessage.objects.create(
        subject=payload["subject"][:998],
        to=payload["to"] + payload["cc"] + payload["bcc"],
        payload=payload,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _schedule(row.pk))
    return row


def _schedule(message_pk: int) -> None:
    from .tasks import send_outbox_message

    try:
        send_outbox_message.delay(message_pk)
    except Exception:  # the broker is down: the periodic sweep will send it
        logger.warning("could not enqueue outbox message %s", message_pk, exc_info=True)


def backoff(attempts: int) -> datetime.timedelta:
    """Exponential back-off with jitter: 1, 2, 4, 8… minutes, capped at 6 hours."""
    base = settings.OUTBOX_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    seconds = min(base, 6 * 60 * 60) * random.uniform(0.8, 1.2)
    return datetime.timedelta(seconds=seconds)


def outbox_claim(*, message_pk: int) -> OutboxMessage | None:
    """Take the message for sending, or None if another worker has it or it is done.

    The claim is one conditional UPDATE, so two workers can never both send it; it
    expires after OUTBOX_CLAIM_SECONDS, so a worker that died mid-send does not keep
    the message for ever.
    """
    now = timezone.now()
    due = models.Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
    abandoned = models.Q(status=OutboxMessage.Status.SENDING, claimed_until__lte=now)
    claimed = (
        OutboxMessage.objects.filter(pk=message_pk)
        .filter(due | abandoned)
        .update(
            status=OutboxMessage.Status.SENDING,
            claimed_until=now
            + datetime.timedelta(seconds=settings.OUTBOX_CLAIM_SECONDS),
        )
    )
    if not claimed:
        return None
    return OutboxMessage.objects.get(pk=message_pk)


def outbox_deliver(*, message: OutboxMessage) -> bool:
    """Send a claimed message through the real backend; record the outcome.

    Returns True when sent. A failure is recorded with the time of the next attempt,
    or, after OUTBOX_MAX_ATTEMPTS, as failed for staff to see.
    """
    email = codec.decode(message.payload, message_id=str(message.message_id))
    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND)
    attempts = message.attempts + 1
    try:
        connection.send_messages([email])
    except Exception as exc:
        failed_for_good = attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts,
            last_error=f"{exc.__class__.__name__}: {exc}"[:2000],
            status=(
                OutboxMessage.Status.FAILED
                if failed_for_good
                else OutboxMessage.Status.PENDING
            ),
            next_attempt_at=None
            if failed_for_good
            else timezone.now() + backoff(attempts),
            claimed_until=None,
        )
        logger.warning("outbox message %s failed (attempt %s)", message.pk, attempts)
        return False
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts,
        status=OutboxMessage.Status.SENT,
        sent_at=timezone.now(),
        claimed_until=None,
        last_error="",
    )
    return True


def outbox_due_ids(*, limit: int = 200) -> list[int]:
    """Messages that should be sent now: waiting and due, or claimed by a worker that
    has not finished in time (it died)."""
    now = timezone.now()
    due = models.Q(status=OutboxMessage.Status.PENDING, next_attempt_at__lte=now)
    abandoned = models.Q(status=OutboxMessage.Status.SENDING, claimed_until__lte=now)
    return list(
        OutboxMessage.objects.filter(due | abandoned)
        .order_by("pk")
        .values_list("pk", flat=True)[:limit]
    )


def outbox_retry(*, message_pk: int) -> None:
    """Staff send a failed message again."""
    OutboxMessage.objects.filter(
        pk=message_pk, status=OutboxMessage.Status.FAILED
    ).update(
        status=OutboxMessage.Status.PENDING,
        attempts=0,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(lambda: _schedule(message_pk))
