"""Processing a stored Stripe event: the handler for its type syncs the object it
names; failures are recorded on the event for the retries and the Board.

A failing event is tried again with exponential back-off (`retry_delay`): by its
Celery task's retries, and by the periodic sweep once `next_attempt_at` has
passed. After STRIPE_EVENT_MAX_ATTEMPTS it is `failed` and nothing retries it on
its own; `stripe_events_retry` (the management command of that name, and the
Stripe events admin's "Process again") processes failed events again."""

import dataclasses
import datetime
import logging

from django.conf import settings
from django.utils import timezone

from donations.models import StripeEvent
from donations.stripe.sync import HANDLERS, NotYetKnown

logger = logging.getLogger(__name__)

# The first retry waits this long; each next one twice as long, up to the cap.
RETRY_BASE_SECONDS = 30
RETRY_MAX_SECONDS = 3600


def retry_delay(attempts: int) -> int:
    """Seconds to wait before trying again an event that failed `attempts` times:
    30 s, 1 min, 2 min, … up to an hour."""
    return min(RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), RETRY_MAX_SECONDS)


def _failed(event: StripeEvent, *, error: str, give_up: bool) -> None:
    attempts = event.attempts + 1
    fields = {
        "attempts": attempts,
        "last_error": error[:2000],
        "next_attempt_at": timezone.now()
        + datetime.timedelta(seconds=retry_delay(attempts)),
    }
    if give_up:
        fields["status"] = (
            StripeEvent.Status.FAILED
            if attempts >= settings.STRIPE_EVENT_MAX_ATTEMPTS
            else StripeEvent.Status.RECEIVED
        )
    StripeEvent.objects.filter(pk=event.pk).update(**fields)


def event_process(*, event_pk: int) -> str:
    """Apply one stored event. Idempotent: processing it again changes nothing."""
    event = StripeEvent.objects.get(pk=event_pk)
    if event.status in (StripeEvent.Status.PROCESSED, StripeEvent.Status.IGNORED):
        return event.status
    handler = HANDLERS.get(event.type)
    if handler is None:
        StripeEvent.objects.filter(pk=event.pk).update(
            status=StripeEvent.Status.IGNORED, processed_at=timezone.now()
        )
        return StripeEvent.Status.IGNORED
    obj = (event.payload.get("data") or {}).get("object") or {}
    try:
        handler(obj["id"], stripe_event=event)
    except NotYetKnown as error:
        # The donation may yet appear (its own event is late): never given up on.
        _failed(event, error=str(error), give_up=False)
        raise
    except Exception as error:
        _failed(event, error=f"{error.__class__.__name__}: {error}", give_up=True)
        raise
    StripeEvent.objects.filter(pk=event.pk).update(
        status=StripeEvent.Status.PROCESSED,
        processed_at=timezone.now(),
        last_error="",
        next_attempt_at=None,
    )
    return StripeEvent.Status.PROCESSED


@dataclasses.dataclass
class RetryOutcome:
    """What `stripe_events_retry` did: the event ids processed now, and those that
    failed again with their error."""

    processed: list[str] = dataclasses.field(default_factory=list)
    failed: list[tuple[str, str]] = dataclasses.field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.processed) + len(self.failed)


def events_to_retry(
    *,
    since: datetime.datetime | None = None,
    types: list[str] | None = None,
    event_ids: list[str] | None = None,
    include_waiting: bool = False,
):
    """The failed events (and, with `include_waiting`, those still waiting for a
    retry) received since `since`, of `types`, or named by `event_ids`; oldest
    first, as Stripe sent them."""
    statuses = [StripeEvent.Status.FAILED]
    if include_waiting:
        statuses.append(StripeEvent.Status.RECEIVED)
    events = StripeEvent.objects.filter(status__in=statuses)
    if since is not None:
        events = events.filter(received_at__gte=since)
    if types:
        events = events.filter(type__in=types)
    if event_ids:
        events = events.filter(event_id__in=event_ids)
    return events.order_by("received_at", "pk")


def stripe_events_retry(
    *,
    since: datetime.datetime | None = None,
    types: list[str] | None = None,
    event_ids: list[str] | None = None,
    include_waiting: bool = False,
    limit: int | None = None,
) -> RetryOutcome:
    """Process again, once each and now, the events `events_to_retry` selects. One
    that fails again stays failed with its new error (and one more attempt); the
    others are not held up by it."""
    outcome = RetryOutcome()
    events = events_to_retry(
        since=since, types=types, event_ids=event_ids, include_waiting=include_waiting
    ).values_list("pk", "event_id")
    if limit is not None:
        events = events[:limit]
    for pk, event_id in list(events):
        try:
            event_process(event_pk=pk)
        except Exception as error:  # recorded on the event by event_process
            logger.info("retry of Stripe event %s failed", event_id, exc_info=True)
            outcome.failed.append((event_id, f"{error.__class__.__name__}: {error}"))
        else:
            outcome.processed.append(event_id)
    return outcome
