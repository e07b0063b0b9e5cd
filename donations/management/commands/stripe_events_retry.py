"""Process failed Stripe events again.

An event whose processing failed STRIPE_EVENT_MAX_ATTEMPTS times is `failed`, and
nothing retries it on its own (the hourly repair only reaches back 72 hours). Once
the cause is fixed (a deploy, Stripe's answer, the donation found), run:

    manage.py stripe_events_retry                       # every failed event
    manage.py stripe_events_retry --since 2025-03-01    # received since that day
    manage.py stripe_events_retry --type invoice.paid --type charge.refunded
    manage.py stripe_events_retry --event evt_123 --event evt_456
    manage.py stripe_events_retry --waiting             # also those still retried
    manage.py stripe_events_retry --dry-run             # only list them

Each event is processed once, now; one that fails again stays failed with its new
error. Processing twice changes nothing. The Board can do the same from the admin
(Money → Stripe events → "Process failed events again")."""

import datetime

from django.core.management.base import BaseCommand, CommandError

from donations.stripe.events import events_to_retry, stripe_events_retry


def _day(value: str) -> datetime.datetime:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"--since must be a date (YYYY-MM-DD): {value}") from error
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)


class Command(BaseCommand):
    help = "Process failed Stripe events again (see the module's docstring)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--since", help="only events received on or after this UTC day"
        )
        parser.add_argument(
            "--type",
            action="append",
            dest="types",
            metavar="TYPE",
            help="only events of this type (repeatable)",
        )
        parser.add_argument(
            "--event",
            action="append",
            dest="event_ids",
            metavar="EVENT_ID",
            help="only this event, Stripe's evt_… id (repeatable)",
        )
        parser.add_argument(
            "--waiting",
            action="store_true",
            help="also events not yet given up on but still failing",
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="list the events, process none"
        )

    def handle(self, *args, since=None, types=None, event_ids=None, **options):
        selection = {
            "since": _day(since) if since else None,
            "types": types,
            "event_ids": event_ids,
            # An event named by its id is processed whatever its retries' state.
            "include_waiting": options["waiting"] or bool(event_ids),
        }
        if options["dry_run"]:
            events = events_to_retry(**selection)
            for event in events:
                self.stdout.write(
                    f"{event.event_id} {event.type} {event.status} "
                    f"attempts={event.attempts} {event.last_error[:100]}"
                )
            self.stdout.write(f"{events.count()} events would be processed again.")
            return
        outcome = stripe_events_retry(**selection)
        for event_id in outcome.processed:
            self.stdout.write(f"processed {event_id}")
        for event_id, error in outcome.failed:
            self.stderr.write(f"failed again {event_id}: {error[:300]}")
        self.stdout.write(
            f"{len(outcome.processed)} processed, {len(outcome.failed)} failed again."
        )
        if outcome.failed:
            raise CommandError(f"{len(outcome.failed)} events failed again.")
