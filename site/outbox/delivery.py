"""Sending what the outbox holds: claim a message, hand it to the real backend,
and back off after a failure."""

import datetime
import logging
import random
import re

from cryptography.fernet import InvalidToken
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import models
from django.utils import timezone

from . import codec, sealing
from .models import OutboxMessage

logger = logging.getLogger(__name__)


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


def outbox_open(*, message: OutboxMessage) -> EmailMultiAlternatives:
    """The email a row holds, unsealed: for sending it, and for nothing shown to
    people."""
    return codec.decode(
        sealing.unseal(message.sealed), message_id=str(message.message_id)
    )


_URL = re.compile(r"\w+://\S+")
_ADDRESS = re.compile(r"[\w.+-]+@([\w-]+(?:\.[\w-]+)+)")
_WORD = re.compile(r"\w{4,}")


def _looks_secret(word: str) -> bool:
    # Codes (ABCD-EFGH, 123456), tokens and long link parts; not ordinary words.
    return any(c.isdigit() for c in word) or word.isupper() or len(word) >= 16


def error_text(exc: Exception, *, email: EmailMultiAlternatives) -> str:
    """What went wrong, for the outbox screen, with nothing of the message in it.

    Providers' errors name the refused address and sometimes quote the message;
    links and addresses are cut to their domain, and any code-like word of the
    message is blanked.
    """
    text = f"{exc.__class__.__name__}: {exc}"
    text = _URL.sub("[link]", text)
    text = _ADDRESS.sub(lambda m: f"…@{m.group(1)}", text)
    content = " ".join(
        [str(email.subject), str(email.body), *(str(c) for c, _ in email.alternatives)]
    )
    secrets = {w for w in _WORD.findall(content) if _looks_secret(w)}
    return _WORD.sub(lambda m: "[…]" if m.group(0) in secrets else m.group(0), text)


def outbox_deliver(*, message: OutboxMessage) -> bool:
    """Send a claimed message through the real backend; record the outcome.

    Returns True when sent. A failure is recorded with the time of the next attempt,
    or, after OUTBOX_MAX_ATTEMPTS, as failed for the site's administrators to see.
    """
    try:
        email = outbox_open(message=message)
    except InvalidToken:
        # Sealed under a key that is no longer configured: no retry can help.
        OutboxMessage.objects.filter(pk=message.pk).update(
            status=OutboxMessage.Status.FAILED,
            last_error="InvalidToken: sealed with a key OUTBOX_KEY no longer lists",
            next_attempt_at=None,
            claimed_until=None,
        )
        logger.error("outbox message %s cannot be unsealed", message.pk)
        return False
    connection = get_connection(settings.OUTBOX_DELIVERY_BACKEND)
    attempts = message.attempts + 1
    try:
        connection.send_messages([email])
    except Exception as exc:
        failed_for_good = attempts >= settings.OUTBOX_MAX_ATTEMPTS
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts,
            last_error=error_text(exc, email=email)[:2000],
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
