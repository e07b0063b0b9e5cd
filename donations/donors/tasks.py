"""Donors' background work: deleting erased donors at Stripe, forgetting old
manage links."""

from celery import shared_task

from donations.donors.receipts import manage_links_forget
from donations.donors.stripe_erasure import stripe_erasures_run


@shared_task
def erase_at_stripe() -> dict[str, int]:
    """Right after an erasure, and every ten minutes: delete at Stripe the
    customers of erased donors that are due (failures come back with back-off)."""
    return stripe_erasures_run()


@shared_task
def forget_expired_manage_links() -> int:
    """Daily: delete manage links that expired long ago."""
    return manage_links_forget()
