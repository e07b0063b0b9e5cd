"""Deleting erased donors' customers at Stripe, after their data is gone here.

Erasure never waits for Stripe (`services.donor_erase`); each customer to delete
is a `StripeCustomerErasure`, done here and retried with back-off until Stripe
confirms."""

import stripe
from django.db import transaction
from django.utils import timezone
from stripe.params import CustomerUpdateParams

from donations.models import StripeCustomerErasure, Subscription
from donations.stripe.client import StripeNotConfigured, client
from outbox.delivery import backoff

ENDED = frozenset({"canceled", "incomplete_expired"})

# Stripe refuses to "unset" name, email, phone and description (they are not
# emptyable); deleting the customer removes them with its cards and cancels its
# subscriptions at once. What can be blanked is blanked first, in case Stripe keeps
# a deleted customer's other fields.
STRIPE_BLANKABLE: CustomerUpdateParams = {"metadata": "", "address": "", "shipping": ""}


def stripe_customer_delete(*, customer_id: str) -> None:
    """Blank what Stripe lets us blank of a customer, then delete it. A customer
    already gone is fine. Raises Stripe's errors for the caller to retry."""
    api = client().v1
    try:
        api.customers.update(customer_id, params=STRIPE_BLANKABLE)
        api.customers.delete(customer_id)
    except stripe.InvalidRequestError as error:
        if error.code != "resource_missing":
            raise


def stripe_erasures_run(*, limit: int = 100) -> dict[str, int]:
    """Delete at Stripe the customers of erased donors that are due, each on its
    own: one failure is recorded (and retried later with back-off), the others go
    on. Returns how many were deleted and how many failed."""
    now = timezone.now()
    done = failed = 0
    due = StripeCustomerErasure.objects.filter(
        done_at=None, next_attempt_at__lte=now
    ).order_by("next_attempt_at")[:limit]
    for erasure in due:
        try:
            stripe_customer_delete(customer_id=erasure.customer_id)
        except (stripe.StripeError, StripeNotConfigured) as error:
            attempts = erasure.attempts + 1
            StripeCustomerErasure.objects.filter(pk=erasure.pk).update(
                attempts=attempts,
                next_attempt_at=timezone.now() + backoff(attempts),
                last_error=f"{error.__class__.__name__}: {error}"[:2000],
            )
            failed += 1
        else:
            with transaction.atomic():
                StripeCustomerErasure.objects.filter(pk=erasure.pk).update(
                    attempts=erasure.attempts + 1,
                    done_at=timezone.now(),
                    last_error="",
                )
                # Deleting the customer cancelled its subscriptions at Stripe.
                Subscription.objects.filter(customer_id=erasure.customer_id).exclude(
                    status__in=ENDED
                ).update(status="canceled", cancelled_at=timezone.now())
            done += 1
    return {"deleted": done, "failed": failed}
