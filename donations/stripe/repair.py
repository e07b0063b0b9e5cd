"""Repairing what a missed webhook left behind: re-read recent activity from Stripe
and sync each object, exactly as its event would have."""

import datetime
import logging

from django.utils import timezone

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


def repair_recent(*, hours: int = 72) -> dict[str, int]:
    """Sync checkout sessions, paid invoices, refunds, disputes and payouts created
    in the last `hours`, and post the payout returns and Stripe fees of that time.
    Idempotent: what is already recorded stays as it is."""
    since = int((timezone.now() - datetime.timedelta(hours=hours)).timestamp())
    api = client().v1
    counts = {
        "sessions": 0,
        "invoices": 0,
        "refunds": 0,
        "disputes": 0,
        "payouts": 0,
        "balance_transactions": 0,
    }

    def run(kind, sync, object_id):
        try:
            sync(object_id)
            counts[kind] += 1
        except NotYetKnown:
            logger.info("repair: %s %s belongs to no donation of ours", kind, object_id)

    for listed in api.checkout.sessions.list(
        params={"created": {"gte": since}, "limit": 100}
    ).auto_paging_iter():
        session = plain(listed)
        if (session.get("metadata") or {}).get("donation"):
            run("sessions", sync_checkout_session, session["id"])
    invoices = api.invoices.list(
        params={"created": {"gte": since}, "limit": 100, "status": "paid"}
    )
    for invoice in invoices.auto_paging_iter():
        run("invoices", sync_invoice, plain(invoice)["id"])
    for listed_refund in api.refunds.list(
        params={"created": {"gte": since}, "limit": 100}
    ).auto_paging_iter():
        charge = plain(listed_refund).get("charge")
        if charge:
            run(
                "refunds",
                sync_charge,
                charge if isinstance(charge, str) else charge["id"],
            )
    for dispute in api.disputes.list(
        params={"created": {"gte": since}, "limit": 100}
    ).auto_paging_iter():
        run("disputes", sync_dispute, plain(dispute)["id"])
    # A payout in another currency cannot be posted (ValueError): it is logged, the
    # rest is still repaired, and the nightly reconciliation reports it as missing.
    payouts = api.payouts.list(params={"created": {"gte": since}, "limit": 100})
    for payout in payouts.auto_paging_iter():
        try:
            run("payouts", sync_payout, plain(payout)["id"])
        except ValueError:
            logger.warning("repair: cannot post payout %s", payout.id, exc_info=True)
    for type_ in UNANNOUNCED_BALANCE_TRANSACTION_TYPES:
        listed_bts = api.balance_transactions.list(
            params={"created": {"gte": since}, "type": type_, "limit": 100}
        )
        for listed_bt in listed_bts.auto_paging_iter():
            try:
                if post_balance_transaction_without_gift(bt=plain(listed_bt)):
                    counts["balance_transactions"] += 1
            except ValueError:
                logger.warning("repair: cannot post %s", listed_bt.id, exc_info=True)
    return counts
