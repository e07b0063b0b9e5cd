"""Processing a stored Stripe event: the handler for its type syncs the object it
names; failures are recorded on the event for the retries and the Board."""

from django.conf import settings
from django.utils import timezone

from donations.models import StripeEvent
from donations.stripe.sync import HANDLERS, NotYetKnown


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
        StripeEvent.objects.filter(pk=event.pk).update(
            attempts=event.attempts + 1, last_error=str(error)[:2000]
        )
        raise
    except Exception as error:
        StripeEvent.objects.filter(pk=event.pk).update(
            attempts=event.attempts + 1,
            last_error=f"{error.__class__.__name__}: {error}"[:2000],
            status=StripeEvent.Status.FAILED
            if event.attempts + 1 >= settings.STRIPE_EVENT_MAX_ATTEMPTS
            else StripeEvent.Status.RECEIVED,
        )
        raise
    StripeEvent.objects.filter(pk=event.pk).update(
        status=StripeEvent.Status.PROCESSED, processed_at=timezone.now(), last_error=""
    )
    return StripeEvent.Status.PROCESSED
