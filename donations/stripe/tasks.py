import datetime

from celery import shared_task
from django.db.models import Q
from django.utils import timezone

from donations.models import StripeEvent
from donations.stripe.events import event_process, retry_delay


@shared_task(bind=True, acks_late=True, max_retries=8)
def process_stripe_event(self, event_pk: int) -> str:
    """Process one stored Stripe event, retrying with exponential back-off (an
    event may concern a donation whose own event has not arrived yet)."""
    try:
        return event_process(event_pk=event_pk)
    except Exception as error:
        if self.request.is_eager:
            raise
        # The same back-off as the periodic sweep's (`next_attempt_at`).
        countdown = retry_delay(self.request.retries + 1)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task
def process_waiting_events() -> int:
    """Every few minutes: events stored but not processed (a lost task, a retry that
    ran out) are processed again, each once its back-off has passed: an event
    that keeps failing is not tried every five minutes."""
    now = timezone.now()
    cutoff = now - datetime.timedelta(minutes=2)
    done = 0
    for pk in (
        StripeEvent.objects.filter(
            status=StripeEvent.Status.RECEIVED, received_at__lt=cutoff
        )
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .order_by("received_at", "pk")
        .values_list("pk", flat=True)[:500]
    ):
        try:
            event_process(event_pk=pk)
            done += 1
        except Exception:  # recorded on the event; try again next time
            continue
    return done


@shared_task
def repair_from_stripe() -> dict:
    """Hourly: re-read the last three days from Stripe and repair missed webhooks.
    The run is recorded (`RepairRun`); the task's result is what it synced, by
    kind, with the run's id, whether it finished, and what it could not repair."""
    from donations.stripe.client import is_configured
    from donations.stripe.repair import repair_recent

    if not is_configured():
        return {}
    run = repair_recent(hours=72)
    return {
        **run.counts,
        "run": run.pk,
        "completed": run.completed,
        "failures": run.failures,
    }


@shared_task
def reconcile_with_stripe(days: int | None = None) -> dict:
    """Nightly: compare the ledger with Stripe for each of the previous days
    (RECONCILIATION_DAYS, default 3, because events can come late) and email the
    Board what was found."""
    from django.conf import settings

    from donations.stripe.client import is_configured
    from donations.stripe.reconciliation import previous_days, reconciliation_run

    if not is_configured():
        return {}
    count = days if days is not None else settings.RECONCILIATION_DAYS
    reports = reconciliation_run(days=previous_days(count=count))
    return {
        str(report.day): report.mismatch_count if not report.error else "error"
        for report in reports
    }


@shared_task
def reconcile_range(start: str, end: str) -> dict:
    """A Board member's check of a range of days (ISO dates, both included) from
    the admin, too long to wait for on the page. The Board is not emailed: the
    reports are in the admin, and what is wrong reaches the attention digest."""
    from donations.stripe.client import is_configured
    from donations.stripe.reconciliation import days_between, reconciliation_run

    if not is_configured():
        return {}
    days = days_between(
        start=datetime.date.fromisoformat(start), end=datetime.date.fromisoformat(end)
    )
    reports = reconciliation_run(days=days, notify=False)
    return {
        str(report.day): report.mismatch_count if not report.error else "error"
        for report in reports
    }
