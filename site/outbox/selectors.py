"""Finding outbox messages without opening them."""

from collections.abc import Iterable

from django.db.models import QuerySet

from .models import OutboxMessage
from .sealing import recipients_digests


def outbox_messages_to(*, recipients: Iterable[str]) -> QuerySet[OutboxMessage]:
    """Messages whose recipients (to, cc and bcc together) are exactly these
    addresses, matched by their keyed fingerprint."""
    return OutboxMessage.objects.filter(
        recipients_digest__in=recipients_digests(recipients)
    )
