"""Bringing our records in line with Stripe, whatever order events arrive in.

Every handler fetches the object's *current* state from Stripe and applies it; the
ledger posts each Stripe balance transaction once (keyed by its id). So any order
and any repetition of events ends in the same state, and a missed event is repaired
by syncing the object again (see `tasks.repair_recent`).
"""

import datetime
import uuid

from django.db import transaction

from donations.ledger import services as ledger
from donations.ledger.money import BASE_CURRENCY
from donations.models import Account, Designation, Donation, Flow, Subscription
from donations.stripe.client import client, plain


class NotYetKnown(Exception):
    """The object belongs to a donation we cannot find yet: retry later."""


def _ts(value) -> datetime.datetime:
    return datetime.datetime.fromtimestamp(int(value), tz=datetime.UTC)


def _id(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.get("id")


def _donation_by_public_id(value) -> Donation | None:
    try:
        return Donation.objects.filter(public_id=uuid.UUID(str(value))).first()
    except (TypeError, ValueError):
        return None


def _fund_for(donation: Donation) -> Account:
    fund_type = {
        Designation.GENERAL: Account.FundType.GENERAL,
        Designation.CAMPAIGN: Account.FundType.CAMPAIGN,
        Designation.CASE: Account.FundType.CASE,
    }[Designation(donation.designation)]
    return ledger.fund_account(fund_type=fund_type, subject_key=donation.subject_key)


def post_balance_transaction(*, bt, donation: Donation, stripe_event=None) -> None:
    """Post one Stripe balance transaction's exact effect on our funds.

    The fund receives (or gives back) `amount`, Stripe clearing moves by `net`, and
    the difference is the fee, which the fund bears: a dispute's fee goes to its
    dispute fees.
    """
    currency = bt.get("currency")
    if currency and str(currency).upper() != BASE_CURRENCY:
        raise ValueError(
            f"balance transaction {bt['id']} is in {bt.get('currency')}, not "
            f"{BASE_CURRENCY}: the Stripe account must settle in the base currency"
        )
    is_dispute = bt.get("reporting_category") in ("dispute", "dispute_reversal") or (
        str(bt.get("source") or "").startswith("du_")
    )
    fund = _fund_for(donation)
    fee_account = (
        ledger.dispute_fees_account(fund=fund)
        if is_dispute
        else ledger.fees_account(fund=fund)
    )
    ledger.ledger_post(
        cause_key=f"stripe:{bt['id']}",
        description=f"{bt.get('type')} {bt.get('reporting_category', '')}".strip(),
        occurred_at=_ts(bt["created"]),
        legs=[
            (ledger.clearing_account(), int(bt["net"])),
            (fee_account, int(bt["fee"])),
            (fund, -int(bt["amount"])),
        ],
        donation=donation,
        stripe_event=stripe_event,
        flow=Flow.DISPUTE if is_dispute else None,
    )


def _record_charge(*, donation: Donation, charge, stripe_event=None) -> None:
    """A paid charge: post it, and mark the donation paid (once)."""
    from donations.donors.receipts import receipt_send

    bt = charge.get("balance_transaction")
    if not bt or isinstance(bt, str):
        bt = plain(client().v1.balance_transactions.retrieve(_id(bt) or ""))
    with transaction.atomic():
        locked = Donation.objects.select_for_update().get(pk=donation.pk)
        post_balance_transaction(bt=bt, donation=locked, stripe_event=stripe_event)
        newly_paid = locked.paid_at is None
        locked.charge_id = charge["id"]
        locked.payment_intent_id = _id(charge.get("payment_intent")) or ""
        locked.settled_amount = int(bt["amount"])
        locked.fee_amount = int(bt["fee"])
        locked.paid_at = locked.paid_at or _ts(charge["created"])
        if locked.status in (
            Donation.Status.CREATED,
            Donation.Status.CHECKOUT,
            Donation.Status.PROCESSING,
            Donation.Status.FAILED,
            Donation.Status.EXPIRED,
        ):
            locked.status = Donation.Status.PAID
        email = (charge.get("billing_details") or {}).get("email")
        if email and not locked.email and not locked.erased_at:
            locked.email = email
        locked.save()
        if newly_paid and locked.email:
            receipt_send(donation=locked)
    _apply_charge_state(donation=locked, charge=charge)


OPEN_OR_LOST_DISPUTE = {
    "warning_needs_response",
    "warning_under_review",
    "needs_response",
    "under_review",
    "lost",
}


def _apply_charge_state(*, donation: Donation, charge) -> None:
    """The donation's state from all the facts, never from whichever event came
    last: an open or lost dispute, else the charge's refunds, else paid."""
    donation.refresh_from_db(fields=["dispute_status", "paid_at", "status"])
    if donation.paid_at is None:
        return
    if donation.dispute_status in OPEN_OR_LOST_DISPUTE:
        status = Donation.Status.DISPUTED
    elif charge.get("refunded"):
        status = Donation.Status.REFUNDED
    elif int(charge.get("amount_refunded") or 0) > 0:
        status = Donation.Status.PARTIALLY_REFUNDED
    else:
        status = Donation.Status.PAID
    if donation.status != status:
        Donation.objects.filter(pk=donation.pk).update(status=status)


def sync_checkout_session(session_id: str, *, stripe_event=None) -> None:
    session = plain(
        client().v1.checkout.sessions.retrieve(
            session_id,
            params={"expand": ["payment_intent.latest_charge.balance_transaction"]},
        )
    )
    donation = _donation_by_public_id(
        (session.get("metadata") or {}).get("donation")
        or session.get("client_reference_id")
    )
    if donation is None:
        raise NotYetKnown(f"no donation for session {session_id}")
    details = session.get("customer_details") or {}
    updates = {"checkout_session_id": session["id"]}
    if _id(session.get("customer")):
        updates["customer_id"] = _id(session["customer"])
    if details.get("email") and not donation.email and not donation.erased_at:
        updates["email"] = details["email"]
    Donation.objects.filter(pk=donation.pk).update(**updates)
    donation.refresh_from_db()

    if session["mode"] == "subscription":
        if subscription_id := _id(session.get("subscription")):
            sync_subscription(subscription_id, stripe_event=stripe_event)
        if invoice_id := _id(session.get("invoice")):
            sync_invoice(invoice_id, stripe_event=stripe_event)
        elif session.get("status") == "expired":
            # An abandoned monthly checkout is a verdict like a one-off's (the
            # card-testing check counts them alike).
            Donation.objects.filter(pk=donation.pk, paid_at=None).update(
                status=Donation.Status.EXPIRED
            )
        return
    intent = session.get("payment_intent")
    if (
        session.get("payment_status") == "paid"
        and intent
        and not isinstance(intent, str)
    ):
        charge = intent.get("latest_charge")
        if charge and not isinstance(charge, str):
            _record_charge(donation=donation, charge=charge, stripe_event=stripe_event)
            return
    if donation.paid_at:
        return
    if session.get("status") == "expired":
        new_status = Donation.Status.EXPIRED
    elif (
        session.get("status") == "complete"
        and session.get("payment_status") == "unpaid"
    ):
        # A completed session that is not yet paid (bank debits) counts nothing.
        failed = (
            intent
            and not isinstance(intent, str)
            and (
                intent.get("status") in ("canceled", "requires_payment_method")
                and intent.get("last_payment_error")
            )
        )
        new_status = Donation.Status.FAILED if failed else Donation.Status.PROCESSING
    else:
        return
    Donation.objects.filter(pk=donation.pk, paid_at=None).update(status=new_status)


def _subscription_id_of(invoice) -> str | None:
    parent = invoice.get("parent") or {}
    details = parent.get("subscription_details") or {}
    return _id(details.get("subscription")) or _id(invoice.get("subscription"))


def sync_subscription(subscription_id: str, *, stripe_event=None) -> Subscription:
    remote = plain(client().v1.subscriptions.retrieve(subscription_id))
    origin = _donation_by_public_id((remote.get("metadata") or {}).get("donation"))
    items = (remote.get("items") or {}).get("data") or []
    price = items[0]["price"] if items else {}
    local = Subscription.objects.filter(stripe_id=remote["id"]).first()
    if local is None:
        if origin is None:
            raise NotYetKnown(f"no donation for subscription {subscription_id}")
        local, _ = Subscription.objects.get_or_create(
            stripe_id=remote["id"],
            defaults={
                "customer_id": _id(remote.get("customer")) or "",
                "status": remote["status"],
                "currency": origin.currency,
                "amount": origin.amount,
                "designation": origin.designation,
                "subject_key": origin.subject_key,
                "email": origin.email,
                "language": origin.language,
                "started_at": _ts(remote["start_date"])
                if remote.get("start_date")
                else None,
            },
        )
        Donation.objects.filter(pk=origin.pk, subscription=None).update(
            subscription=local
        )
    if origin is not None and not local.email and origin.email and not origin.erased_at:
        local.email = origin.email  # the checkout's event may have come second
    local.status = remote["status"]
    if price and price.get("unit_amount"):
        local.amount = int(price["unit_amount"]) * int(items[0].get("quantity") or 1)
        local.currency = str(price.get("currency", local.currency)).upper()
    # Cleared again when a donor resumes a gift they had set to end.
    cancelled = remote.get("canceled_at")
    local.cancelled_at = _ts(cancelled) if cancelled else None
    local.save()
    if local.email and not local.erased_at:
        # Months recorded before the address was known get it now, whatever the
        # order their events came in.
        local.donations.filter(email="", erased_at=None).update(email=local.email)
    return local


def sync_invoice(invoice_id: str, *, stripe_event=None, failed: bool = False) -> None:
    # Stripe expands at most four levels, a list's `data` counting as one: the
    # payment intent is as deep as one request goes, its charge is a second request.
    invoice = plain(
        client().v1.invoices.retrieve(
            invoice_id, params={"expand": ["payments.data.payment.payment_intent"]}
        )
    )
    subscription_id = _subscription_id_of(invoice)
    if not subscription_id:
        return  # not one of our monthly gifts
    subscription = Subscription.objects.filter(stripe_id=subscription_id).first()
    if subscription is None:
        subscription = sync_subscription(subscription_id, stripe_event=stripe_event)
    first = subscription.donations.filter(invoice_id=None).order_by("pk").first()
    donation = Donation.objects.filter(invoice_id=invoice["id"]).first()
    if (
        donation is None
        and first is not None
        and invoice.get("billing_reason")
        in (
            "subscription_create",
            None,
        )
    ):
        Donation.objects.filter(pk=first.pk, invoice_id=None).update(
            invoice_id=invoice["id"]
        )
        donation = Donation.objects.filter(invoice_id=invoice["id"]).first()
    if donation is None:
        donation, _ = Donation.objects.get_or_create(
            invoice_id=invoice["id"],
            defaults={
                "frequency": Donation.Frequency.MONTHLY,
                "currency": str(invoice["currency"]).upper(),
                "amount": int(invoice.get("amount_due") or subscription.amount),
                "designation": subscription.designation,
                "subject_key": subscription.subject_key,
                "language": subscription.language,
                "email": subscription.email,
                "customer_id": subscription.customer_id,
                "subscription": subscription,
                "status": Donation.Status.PROCESSING,
                "erased_at": subscription.erased_at,
            },
        )
    if invoice.get("status") == "paid":
        for payment in (invoice.get("payments") or {}).get("data") or []:
            if payment.get("status") not in (None, "paid"):
                continue  # a failed or cancelled attempt at this invoice
            charge = _invoice_payment_charge(payment.get("payment") or {})
            if charge and charge.get("paid"):
                _record_charge(
                    donation=donation, charge=charge, stripe_event=stripe_event
                )
    elif failed or int(invoice.get("attempt_count") or 0) > 0:
        Donation.objects.filter(pk=donation.pk, paid_at=None).update(
            status=Donation.Status.FAILED
        )


def _invoice_payment_charge(payment) -> dict | None:
    """The charge that paid an invoice, with its balance transaction, from an
    invoice payment's `payment` (a payment intent, or a charge made out of band)."""
    charge_id = _id(payment.get("charge"))
    intent = payment.get("payment_intent")
    if not charge_id and intent:
        if isinstance(intent, str):
            intent = plain(client().v1.payment_intents.retrieve(intent))
        charge_id = _id(intent.get("latest_charge"))
    if not charge_id:
        return None
    return plain(
        client().v1.charges.retrieve(
            charge_id, params={"expand": ["balance_transaction"]}
        )
    )


def _donation_for_charge(charge) -> Donation:
    donation = Donation.objects.filter(charge_id=charge["id"]).first()
    if donation:
        return donation
    intent_id = _id(charge.get("payment_intent"))
    if intent_id:
        donation = Donation.objects.filter(payment_intent_id=intent_id).first()
        if donation:
            return donation
        intent = plain(client().v1.payment_intents.retrieve(intent_id))
        donation = _donation_by_public_id(
            (intent.get("metadata") or {}).get("donation")
        )
        if donation:
            return donation
        payments = plain(
            client().v1.invoice_payments.list(
                params={
                    "payment": {"type": "payment_intent", "payment_intent": intent_id}
                }
            )
        )
        for payment in payments.get("data") or []:
            sync_invoice(_id(payment["invoice"]) or "")
            found = Donation.objects.filter(charge_id=charge["id"]).first()
            if found:
                return found
    raise NotYetKnown(f"no donation for charge {charge['id']}")


def sync_charge(charge_id: str, *, stripe_event=None) -> None:
    """A refund (full or partial): post each refund's balance transaction once."""
    charge = plain(
        client().v1.charges.retrieve(
            charge_id,
            params={
                "expand": ["balance_transaction", "refunds.data.balance_transaction"]
            },
        )
    )
    donation = _donation_for_charge(charge)
    if donation.paid_at is None and charge.get("paid"):
        _record_charge(donation=donation, charge=charge, stripe_event=stripe_event)
    for refund in (charge.get("refunds") or {}).get("data") or []:
        # A refund that later failed has a second balance transaction giving the
        # money back to the fund; both are posted, each once.
        for key in ("balance_transaction", "failure_balance_transaction"):
            bt = refund.get(key)
            if bt and isinstance(bt, str):
                bt = plain(client().v1.balance_transactions.retrieve(bt))
            if bt and refund.get("status") in ("succeeded", "failed"):
                post_balance_transaction(
                    bt=bt, donation=donation, stripe_event=stripe_event
                )
    donation.refresh_from_db()
    _apply_charge_state(donation=donation, charge=charge)


def sync_dispute(dispute_id: str, *, stripe_event=None) -> None:
    """A dispute's withdrawals (amount and fee) and, if won, their reinstatement."""
    dispute = plain(client().v1.disputes.retrieve(dispute_id))
    charge = plain(
        client().v1.charges.retrieve(
            _id(dispute["charge"]) or "", params={"expand": ["balance_transaction"]}
        )
    )
    donation = _donation_for_charge(charge)
    if donation.paid_at is None and charge.get("paid"):
        _record_charge(donation=donation, charge=charge, stripe_event=stripe_event)
    for bt in dispute.get("balance_transactions") or []:
        post_balance_transaction(bt=bt, donation=donation, stripe_event=stripe_event)
    Donation.objects.filter(pk=donation.pk).update(
        dispute_status=str(dispute.get("status") or "")
    )
    _apply_charge_state(donation=donation, charge=charge)


def _sync_failed_invoice(invoice_id: str, *, stripe_event=None) -> None:
    sync_invoice(invoice_id, stripe_event=stripe_event, failed=True)


# --- Payouts and Stripe's own fees -------------------------------------------------
#
# Balance transactions that belong to no gift. A payout leaves the Stripe balance
# when Stripe creates it, so its balance transaction is posted at once: clearing
# moves by `net` (negative), the bank receives the payout's amount, and any payout
# fee is borne by the general fund (a payout carries the money of every fund). The
# ledger has no "in transit" account: money on its way to the bank counts as in the
# bank, and a payout that fails or is cancelled has a second balance transaction
# (`failure_balance_transaction`, type payout_failure or payout_cancel) that puts it
# back at Stripe, posted the same way with the opposite signs.
#
# Stripe's own fees that no gift caused (type "stripe_fee": Radar, Billing and the
# like) have no event of their own; the hourly repair lists them and posts clearing
# −/general fund's fees + with flow "other". Every other type (top-ups, reserves,
# adjustments that are not disputes, ...) is not posted: the nightly reconciliation
# reports it as missing, for a person to look at.

PAYOUT_BALANCE_TRANSACTION_TYPES = frozenset(
    {"payout", "payout_failure", "payout_cancel"}
)
STRIPE_FEE_TYPE = "stripe_fee"


def _require_base_currency(bt) -> None:
    currency = bt.get("currency")
    if currency and str(currency).upper() != BASE_CURRENCY:
        raise ValueError(
            f"balance transaction {bt['id']} is in {currency}, not {BASE_CURRENCY}: "
            "the Stripe account must settle in the base currency"
        )


def post_payout_balance_transaction(*, bt, stripe_event=None) -> None:
    """Post a payout's balance transaction, or the one that returned a failed or
    cancelled payout: clearing +net, bank −amount, the general fund's fees +fee."""
    if bt.get("type") not in PAYOUT_BALANCE_TRANSACTION_TYPES:
        raise ValueError(f"balance transaction {bt['id']} is not a payout's")
    _require_base_currency(bt)
    ledger.ledger_post(
        cause_key=f"stripe:{bt['id']}",
        description=f"{bt['type']} {_id(bt.get('source')) or ''}".strip(),
        occurred_at=_ts(bt["created"]),
        legs=[
            (ledger.clearing_account(), int(bt["net"])),
            (ledger.fees_account(), int(bt["fee"])),
            (ledger.bank_account(), -int(bt["amount"])),
        ],
        flow=Flow.PAYOUT,
        stripe_event=stripe_event,
    )


def post_stripe_fee_balance_transaction(*, bt, stripe_event=None) -> None:
    """Post one of Stripe's own fees that no gift caused: it leaves clearing and is
    borne by the general fund."""
    if bt.get("type") != STRIPE_FEE_TYPE:
        raise ValueError(f"balance transaction {bt['id']} is not a Stripe fee")
    _require_base_currency(bt)
    ledger.ledger_post(
        cause_key=f"stripe:{bt['id']}",
        description=f"{bt['type']} {bt.get('description') or ''}".strip(),
        occurred_at=_ts(bt["created"]),
        legs=[
            (ledger.clearing_account(), int(bt["net"])),
            (ledger.fees_account(), -int(bt["net"])),
        ],
        flow=Flow.OTHER,
        stripe_event=stripe_event,
    )


def post_balance_transaction_without_gift(*, bt, stripe_event=None) -> bool:
    """Post a payout's balance transaction or a Stripe fee; False (and nothing
    posted) for any other type."""
    if bt.get("type") in PAYOUT_BALANCE_TRANSACTION_TYPES:
        post_payout_balance_transaction(bt=bt, stripe_event=stripe_event)
        return True
    if bt.get("type") == STRIPE_FEE_TYPE:
        post_stripe_fee_balance_transaction(bt=bt, stripe_event=stripe_event)
        return True
    return False


def sync_payout(payout_id: str, *, stripe_event=None) -> None:
    """A payout as it is now: its balance transaction, and the one that returned
    the money if it failed or was cancelled, each posted once. So any order and
    any repetition of payout.created/updated/paid/failed/canceled ends the same."""
    payout = plain(
        client().v1.payouts.retrieve(
            payout_id,
            params={"expand": ["balance_transaction", "failure_balance_transaction"]},
        )
    )
    for key in ("balance_transaction", "failure_balance_transaction"):
        bt = payout.get(key)
        if bt and isinstance(bt, str):
            bt = plain(client().v1.balance_transactions.retrieve(bt))
        if bt:
            post_payout_balance_transaction(bt=bt, stripe_event=stripe_event)


# Event type → what to sync, given the event's object id.
HANDLERS = {
    "checkout.session.completed": sync_checkout_session,
    "checkout.session.async_payment_succeeded": sync_checkout_session,
    "checkout.session.async_payment_failed": sync_checkout_session,
    "checkout.session.expired": sync_checkout_session,
    "invoice.paid": sync_invoice,
    "invoice.payment_failed": _sync_failed_invoice,
    "customer.subscription.created": sync_subscription,
    "customer.subscription.updated": sync_subscription,
    "customer.subscription.deleted": sync_subscription,
    "charge.refunded": sync_charge,
    "charge.dispute.created": sync_dispute,
    "charge.dispute.updated": sync_dispute,
    "charge.dispute.closed": sync_dispute,
    "charge.dispute.funds_withdrawn": sync_dispute,
    "charge.dispute.funds_reinstated": sync_dispute,
    "payout.created": sync_payout,
    "payout.updated": sync_payout,
    "payout.paid": sync_payout,
    "payout.failed": sync_payout,
    "payout.canceled": sync_payout,
}
