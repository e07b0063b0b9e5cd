"""Repairing what a missed webhook left behind: re-read recent activity from Stripe
and sync each object, exactly as its event would have."""

import datetime
import logging

from django.utils import timezone

from donations.stripe_api import client, plain
from donations.stripe_sync import (
    NotYetKnown,
    sync_charge,
    sync_checkout_session,
    sync_dispute,
    sync_invoice,
)

logger = logging.getLogger(__name__)


def repair_recent(*, hours: int = 72) -> dict[str, int]:
    """Sync checkout sessions, paid invoices, refunds and disputes created in the last
    `hours`. Idempotent: what is already recorded stays as it is."""
    since = int((timezone.now() - datetime.timedelta(hours=hours)).timestamp())
    api = client().v1
    counts = {"sessions": 0, "invoices": 0, "refunds": 0, "disputes": 0}
    window = {"created": {"gte": since}, "limit": 100}

    def run(kind, sync, object_id):
        try:
            sync(object_id)
            counts[kind] += 1
        except NotYetKnown:
            logger.info("repair: %s %s belongs to no donation of ours", kind, object_id)

    for listed in api.checkout.sessions.list(params=window).auto_paging_iter():
        session = plain(listed)
        if (session.get("metadata") or {}).get("donation"):
            run("sessions", sync_checkout_session, session["id"])
    invoices = api.invoices.list(params={**window, "status": "paid"})
    for invoice in invoices.auto_paging_iter():
        run("invoices", sync_invoice, plain(invoice)["id"])
    for listed_refund in api.refunds.list(params=window).auto_paging_iter():
        charge = plain(listed_refund).get("charge")
        if charge:
            run(
                "refunds",
                sync_charge,
                charge if isinstance(charge, str) else charge["id"],
            )
    for dispute in api.disputes.list(params=window).auto_paging_iter():
        run("disputes", sync_dispute, plain(dispute)["id"])
    return counts
