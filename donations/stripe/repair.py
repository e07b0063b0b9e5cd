"""Repairing what a missed webhook left behind: re-read recent activity from Stripe
and sync each object, exactly as its event would have.

Each object is repaired on its own: one that Stripe refuses (400, 404), rate-limits
(429) or times out on is recorded and the others are still repaired. A listing that
fails leaves the run incomplete; when Stripe cannot be reached at all the run stops
there. Every run is kept as a `RepairRun` (counts, each object not repaired, and
whether the run finished), which the Board's attention list reads
(`donations.attention`)."""

import datetime
import logging
from collections.abc import Callable, Iterator
from functools import partial
from typing import Any

import stripe
from django.utils import timezone

from donations.models import RepairRun
from donations.stripe.client import client, plain
from donations.stripe.sync import (
    NotYetKnown,
    post_balance_transaction_without_gift,
    sync_charge,
    sync_checkout_session,
    sync_dispute,
    sync_invoice,
    sync_payout,
)

logger = logging.getLogger(__name__)

# Balance transactions that no event announces on their own: a payout's return can
# come days after the payout was created (outside the window of payouts listed),
# and Stripe's own fees have no event at all.
UNANNOUNCED_BALANCE_TRANSACTION_TYPES = (
    "payout_failure",
    "payout_cancel",
    "stripe_fee",
)
KINDS = ("sessions", "invoices", "refunds", "disputes", "payouts")
BALANCE_TRANSACTIONS = "balance_transactions"


class StripeUnreachable(Exception):
    """Stripe could not be reached for a listing: the run stops."""


def describe(error: BaseException) -> str:
    """An error as the Board reads it: its class, Stripe's HTTP status when there
    is one, and Stripe's message (never a whole traceback)."""
    status = getattr(error, "http_status", None)
    message = getattr(error, "user_message", None) or str(error)
    name = error.__class__.__name__
    return (f"{name} ({status}): {message}" if status else f"{name}: {message}")[:500]


class _Run:
    """The counts and failures of one repair run, as it goes."""

    def __init__(self) -> None:
        self.counts = dict.fromkeys((*KINDS, BALANCE_TRANSACTIONS), 0)
        self.failures: list[dict[str, str]] = []
        self.listing_errors: list[str] = []

    def attempt(self, kind: str, object_id: str, repair: Callable[[], Any]) -> None:
        try:
            done = repair()
        except NotYetKnown:
            logger.info("repair: %s %s belongs to no donation of ours", kind, object_id)
            return
        except Exception as error:
            # Whatever went wrong with this object (Stripe refused it, rate-limited
            # or timed out, it cannot be posted), the others are still repaired.
            logger.warning("repair: %s %s failed", kind, object_id, exc_info=True)
            self.failures.append(
                {"kind": kind, "id": object_id, "error": describe(error)}
            )
            return
        if done is not False:
            self.counts[kind] += 1

    def listed(self, kind: str, listing: Callable[[], Any]) -> Iterator[dict]:
        """Every object of a listing, page after page, as plain data. A listing
        Stripe refuses is recorded (the run is then incomplete) and yields no more;
        one Stripe cannot be reached for stops the run."""
        try:
            for obj in listing().auto_paging_iter():
                yield plain(obj)
        except stripe.APIConnectionError as error:
            raise StripeUnreachable(describe(error)) from error
        except Exception as error:
            logger.warning("repair: listing %s failed", kind, exc_info=True)
            self.listing_errors.append(f"{kind}: {describe(error)}")
            self.failures.append({"kind": kind, "id": "", "error": describe(error)})


def repair_recent(*, hours: int = 72) -> RepairRun:
    """Sync checkout sessions, paid invoices, refunds, disputes and payouts created
    in the last `hours`, and post the payout returns and Stripe fees of that time.
    Idempotent: what is already recorded stays as it is. Returns the run's record."""
    started = timezone.now()
    record = RepairRun.objects.create(started_at=started, hours=hours)
    since = int((started - datetime.timedelta(hours=hours)).timestamp())
    created = {"gte": since}
    run = _Run()
    error = ""
    try:
        api = client().v1
        _repair_all(api, run, created)
    except StripeUnreachable as unreachable:
        logger.warning("repair: Stripe cannot be reached: %s", unreachable)
        error = str(unreachable)
    except Exception as unexpected:
        logger.exception("repair: stopped")
        error = describe(unexpected)
    finally:
        record.finished_at = timezone.now()
        record.counts = run.counts
        record.failures = run.failures
        record.failure_count = sum(1 for f in run.failures if f["id"])
        record.completed = not error and not run.listing_errors
        record.error = "\n".join(filter(None, [error, *run.listing_errors]))[:2000]
        record.full_clean()
        record.save()
    return record


def _id_of(value) -> str | None:
    if not value or isinstance(value, str):
        return value or None
    return value.get("id")


def _repair_all(api, run: _Run, created: dict) -> None:
    sessions = run.listed(
        "sessions",
        lambda: api.checkout.sessions.list(params={"created": created, "limit": 100}),
    )
    for session in sessions:
        if (session.get("metadata") or {}).get("donation"):
            run.attempt(
                "sessions",
                session["id"],
                partial(sync_checkout_session, session["id"]),
            )
    invoices = run.listed(
        "invoices",
        lambda: api.invoices.list(
            params={"created": created, "limit": 100, "status": "paid"}
        ),
    )
    for invoice in invoices:
        run.attempt("invoices", invoice["id"], partial(sync_invoice, invoice["id"]))
    refunds = run.listed(
        "refunds",
        lambda: api.refunds.list(params={"created": created, "limit": 100}),
    )
    for refund in refunds:
        if charge := _id_of(refund.get("charge")):
            run.attempt("refunds", charge, partial(sync_charge, charge))
    disputes = run.listed(
        "disputes",
        lambda: api.disputes.list(params={"created": created, "limit": 100}),
    )
    for dispute in disputes:
        run.attempt("disputes", dispute["id"], partial(sync_dispute, dispute["id"]))
    # A payout in another currency cannot be posted (ValueError): it is recorded as
    # not repaired, the rest is still repaired, and the nightly reconciliation
    # reports it as missing.
    payouts = run.listed(
        "payouts",
        lambda: api.payouts.list(params={"created": created, "limit": 100}),
    )
    for payout in payouts:
        run.attempt("payouts", payout["id"], partial(sync_payout, payout["id"]))
    for type_ in UNANNOUNCED_BALANCE_TRANSACTION_TYPES:
        listed = run.listed(
            BALANCE_TRANSACTIONS,
            partial(
                api.balance_transactions.list,
                params={"created": created, "type": type_, "limit": 100},
            ),
        )
        for bt in listed:
            run.attempt(
                BALANCE_TRANSACTIONS,
                bt["id"],
                partial(post_balance_transaction_without_gift, bt=bt),
            )
