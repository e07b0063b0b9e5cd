"""Donors' self-service: their gifts, their monthly gifts, their data.

A donor proves who they are with the signed link from a receipt (or by signing in
with a verified address); everything here is scoped to those addresses. We hold as
little as we can: erasing a donor blanks their address and name here and at Stripe,
while every amount in the fund ledger stays exactly as it was (the ledger never
names a donor).
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

import stripe
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.emails import normalise_email
from accounts.services import donor_accounts_delete
from donations.donors.receipts import manage_links_forget, manage_url
from donations.donors.tasks import erase_at_stripe
from donations.ledger.money import CURRENCIES, AmountError, format_money
from donations.models import (
    AnnualReceiptSent,
    Designation,
    Donation,
    StripeCustomerErasure,
    Subscription,
)
from donations.stripe.client import client, plain
from outbox.codec import template_header

logger = logging.getLogger(__name__)

# Gifts a donor sees: everything that reached a payment (not abandoned checkouts).
SHOWN_STATUSES = (
    Donation.Status.PAID,
    Donation.Status.PROCESSING,
    Donation.Status.FAILED,
    Donation.Status.REFUNDED,
    Donation.Status.PARTIALLY_REFUNDED,
    Donation.Status.DISPUTED,
)
# Gifts that were paid, and so have a receipt.
RECEIPT_STATUSES = (
    Donation.Status.PAID,
    Donation.Status.REFUNDED,
    Donation.Status.PARTIALLY_REFUNDED,
    Donation.Status.DISPUTED,
)
# Stripe's subscription statuses.
ENDED = frozenset({"canceled", "incomplete_expired"})
CHANGEABLE = frozenset({"active", "trialing", "past_due"})
SUBSCRIPTION_STATUS_LABELS = {
    "active": _("Active"),
    "trialing": _("Active"),
    "past_due": _("Last payment failed: we will try again"),
    "unpaid": _("Paused: payments failed"),
    "paused": _("Paused"),
    "incomplete": _("Waiting for the first payment"),
    "incomplete_expired": _("Never started"),
    "canceled": _("Cancelled"),
}
# What a gift is for, without naming anyone (receipts, exports' headings).
DESIGNATION_LABELS = {
    Designation.CASE: _("A person's defence"),
    Designation.CAMPAIGN: _("A campaign"),
    Designation.GENERAL: _("Where it is most needed"),
}


class SelfServiceError(Exception):
    """A change the donor asked for that cannot be made, with a message for them."""


def _matching(field_name: str, emails: Iterable[str]) -> Q:
    """Case-insensitive match on any of `emails`; matches nothing when there are
    none (an erased donation's blank address never matches)."""
    query = Q(pk__in=[])
    for email in sorted({normalise_email(e) for e in emails} - {""}):
        query |= Q(**{f"{field_name}__iexact": email})
    return query


# --- Selectors ---------------------------------------------------------------------


def donor_gifts(emails: Iterable[str]) -> QuerySet[Donation]:
    """Every payment made with these addresses, newest first."""
    return (
        Donation.objects.filter(_matching("email", emails), erased_at=None)
        .filter(status__in=SHOWN_STATUSES)
        .select_related("subscription")
        .order_by("-created_at", "-pk")
    )


def donor_subscriptions(emails: Iterable[str]) -> QuerySet[Subscription]:
    """Monthly gifts set up with these addresses: the subscription's own address, or
    (should it have been recorded before the address was known) a payment of it."""
    emails = list(emails)
    owned = Subscription.objects.filter(
        _matching("email", emails)
        | Q(
            pk__in=Donation.objects.filter(_matching("email", emails)).values(
                "subscription_id"
            )
        )
    )
    return owned.order_by("-started_at", "-pk")


def donor_has_gifts(email: str) -> bool:
    return donor_gifts([email]).exists() or donor_subscriptions([email]).exists()


def subject_titles(items: Iterable) -> dict:
    """{subject_key: title} of the live, public case and campaign pages these gifts
    are for, in the current language when there is a translation. Only the donor
    sees these; a hidden or unpublished page gives no title."""
    from campaigns.models import CampaignPage
    from prisoners.models import PrisonerPage

    keys = {Designation.CASE: set(), Designation.CAMPAIGN: set()}
    for item in items:
        if item.subject_key and item.designation in keys:
            keys[item.designation].add(item.subject_key)
    language = translation.get_language()
    titles: dict = {}
    for model, wanted in (
        (PrisonerPage, keys[Designation.CASE]),
        (CampaignPage, keys[Designation.CAMPAIGN]),
    ):
        if not wanted:
            continue
        pages = (
            model.objects.live()
            .public()
            .filter(translation_key__in=wanted)
            .select_related("locale")
            .only("title", "translation_key", "locale__language_code")
        )
        for page in pages:
            if (
                page.translation_key not in titles
                or page.locale.language_code == language
            ):
                titles[page.translation_key] = page.title
    return titles


@dataclass
class GiftRow:
    donation: Donation
    amount: str
    designation: str
    title: str
    has_receipt: bool
    urls: dict = field(default_factory=dict)  # filled in by the view


@dataclass
class MonthlyRow:
    subscription: Subscription
    amount: str
    designation: str
    title: str
    status: str
    can_change: bool
    can_cancel: bool
    can_update_card: bool
    limits: str
    urls: dict = field(default_factory=dict)  # filled in by the view


@dataclass
class Overview:
    emails: list[str]
    gifts: list[GiftRow] = field(default_factory=list)
    monthly: list[MonthlyRow] = field(default_factory=list)

    @property
    def active_monthly(self) -> list[MonthlyRow]:
        return [row for row in self.monthly if row.can_cancel]

    @property
    def empty(self) -> bool:
        return not self.gifts and not self.monthly


def donor_overview(emails: Iterable[str]) -> Overview:
    """What the manage page and the signed-in list show, in the current language."""
    emails = sorted({normalise_email(e) for e in emails} - {""})
    gifts = list(donor_gifts(emails))
    subscriptions = list(donor_subscriptions(emails))
    titles = subject_titles([*gifts, *subscriptions])
    overview = Overview(emails=emails)
    for gift in gifts:
        overview.gifts.append(
            GiftRow(
                donation=gift,
                amount=format_money(gift.amount, gift.currency),
                designation=str(DESIGNATION_LABELS.get(gift.designation, "")),
                title=titles.get(gift.subject_key, ""),
                has_receipt=gift.status in RECEIPT_STATUSES,
            )
        )
    for sub in subscriptions:
        rule = CURRENCIES.get(sub.currency)
        overview.monthly.append(
            MonthlyRow(
                subscription=sub,
                amount=format_money(sub.amount, sub.currency),
                designation=str(DESIGNATION_LABELS.get(sub.designation, "")),
                title=titles.get(sub.subject_key, ""),
                status=str(SUBSCRIPTION_STATUS_LABELS.get(sub.status, sub.status)),
                can_change=sub.status in CHANGEABLE and rule is not None,
                can_cancel=sub.status not in ENDED,
                can_update_card=sub.status not in ENDED and bool(sub.customer_id),
                limits=(
                    _("between %(low)s and %(high)s")
                    % {
                        "low": rule.format(rule.minimum),
                        "high": rule.format(rule.maximum),
                    }
                    if rule
                    else ""
                ),
            )
        )
    return overview


# --- Monthly gifts -----------------------------------------------------------------


def _product_of(price) -> str:
    product = price.get("product")
    return product if isinstance(product, str) else (product or {}).get("id", "")


def monthly_amount_change(*, subscription: Subscription, amount: int) -> Subscription:
    """Charge `amount` (minor units of the gift's currency) from the next month on.

    The subscription's item gets a new monthly price of the same product; nothing is
    prorated, so the donor is never charged a difference mid-month.
    """
    rule = CURRENCIES.get(subscription.currency)
    if rule is None:
        raise AmountError(_("This currency is not accepted."))
    if not rule.minimum <= amount <= rule.maximum:
        raise AmountError(
            _("Please give between %(low)s and %(high)s.")
            % {"low": rule.format(rule.minimum), "high": rule.format(rule.maximum)}
        )
    if subscription.status not in CHANGEABLE:
        raise SelfServiceError(_("This monthly gift can no longer be changed."))
    api = client().v1
    remote = plain(api.subscriptions.retrieve(subscription.stripe_id))
    items = (remote.get("items") or {}).get("data") or []
    if len(items) != 1:
        raise SelfServiceError(_("This monthly gift cannot be changed here."))
    item = items[0]
    api.subscriptions.update(
        subscription.stripe_id,
        params={
            "items": [
                {
                    "id": item["id"],
                    "price_data": {
                        "currency": subscription.currency.lower(),
                        "product": _product_of(item.get("price") or {}),
                        "recurring": {"interval": "month"},
                        "unit_amount": amount,
                    },
                    "quantity": 1,
                }
            ],
            "proration_behavior": "none",
        },
    )
    Subscription.objects.filter(pk=subscription.pk).update(amount=amount)
    subscription.amount = amount
    return subscription


def monthly_cancel(*, subscription: Subscription) -> Subscription:
    """Stop a monthly gift now. Cancelling one already cancelled changes nothing."""
    if subscription.status in ENDED:
        return subscription
    api = client().v1
    try:
        remote = plain(api.subscriptions.cancel(subscription.stripe_id))
    except stripe.InvalidRequestError:
        # Cancelled at Stripe already (by the donor at the portal, say)?
        remote = plain(api.subscriptions.retrieve(subscription.stripe_id))
        if remote.get("status") not in ENDED:
            raise
    now = timezone.now()
    status = remote.get("status") or "canceled"
    Subscription.objects.filter(pk=subscription.pk).update(
        status=status, cancelled_at=now
    )
    subscription.status, subscription.cancelled_at = status, now
    return subscription


def card_update_url(*, subscription: Subscription, return_url: str) -> str:
    """A Stripe Customer Portal session where the donor changes the card paying
    this monthly gift; the portal sends them back to `return_url`."""
    if subscription.status in ENDED or not subscription.customer_id:
        raise SelfServiceError(_("This monthly gift has no card to update."))
    session = client().v1.billing_portal.sessions.create(
        params={"customer": subscription.customer_id, "return_url": return_url}
    )
    return session["url"]


# --- The manage link ---------------------------------------------------------------


def manage_link_send(*, email: str, language: str) -> bool:
    """Email the manage link to `email` if any gift was made with it. Returns
    whether it was sent; callers must not tell the visitor (no enumeration)."""
    email = normalise_email(email)
    with translation.override(language):
        context = {
            "manage_url": manage_url(email, language),
            "language": language,
            "days": settings.DONOR_LINK_DAYS,
            "organisation": settings.WAGTAIL_SITE_NAME,
        }
        subject = " ".join(
            render_to_string("email/manage_link_subject.txt", context).split()
        )
        body = render_to_string("email/manage_link.txt", context)
        html = render_to_string("email/manage_link.html", context)
    # The message is rendered either way, so that both answers take as long.
    if not email or not donor_has_gifts(email):
        return False
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        to=[email],
        headers=template_header("email/manage_link"),
    )
    message.attach_alternative(html, "text/html")
    message.send()
    return True


# --- Data rights -------------------------------------------------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def donor_export(*, emails: Iterable[str]) -> dict:
    """Everything we hold about the donor's gifts, as JSON-ready data. Amounts are
    in minor units (cents); settled amounts and fees in the base currency."""
    overview = donor_overview(emails)
    return {
        "generated_at": timezone.now().isoformat(),
        "emails": overview.emails,
        "amounts": "minor units (cents) of the currency named",
        "donations": [
            {
                "reference": str(row.donation.public_id),
                "created_at": _iso(row.donation.created_at),
                "paid_at": _iso(row.donation.paid_at),
                "frequency": row.donation.frequency,
                "status": row.donation.status,
                "currency": row.donation.currency,
                "amount": row.donation.amount,
                "cover_fees": row.donation.cover_fees,
                "settled_currency": "EUR",
                "settled_amount": row.donation.settled_amount,
                "fee_amount": row.donation.fee_amount,
                "designation": row.donation.designation,
                "designated_to": row.title,
                "show_name": row.donation.show_name,
                "public_name": row.donation.public_name,
                "email": row.donation.email,
                "language": row.donation.language,
                "stripe_customer": row.donation.customer_id,
                "stripe_charge": row.donation.charge_id,
                "stripe_invoice": row.donation.invoice_id,
            }
            for row in overview.gifts
        ],
        "monthly_gifts": [
            {
                "stripe_subscription": row.subscription.stripe_id,
                "stripe_customer": row.subscription.customer_id,
                "status": row.subscription.status,
                "currency": row.subscription.currency,
                "amount": row.subscription.amount,
                "designation": row.subscription.designation,
                "designated_to": row.title,
                "email": row.subscription.email,
                "language": row.subscription.language,
                "started_at": _iso(row.subscription.started_at),
                "cancelled_at": _iso(row.subscription.cancelled_at),
                "failed_payments": row.subscription.failed_payments,
            }
            for row in overview.monthly
        ],
    }


@dataclass
class Erasure:
    donations: int = 0
    subscriptions: int = 0
    cancelled: list[str] = field(default_factory=list)  # "€10 a month", ...
    stripe_customers: int = 0  # whose deletion at Stripe is under way
    emails: int = 0


def _erase_outbox(email: str) -> int:
    """Emails we sent only to this address (receipts, links) are deleted once sent
    or given up; one still waiting is left to be sent."""
    from outbox.models import OutboxMessage
    from outbox.selectors import outbox_messages_to

    # Addresses are sealed; the keyed fingerprint of "this address alone" finds them.
    return (
        outbox_messages_to(recipients=[email])
        .filter(status__in=(OutboxMessage.Status.SENT, OutboxMessage.Status.FAILED))
        .delete()[0]
    )


def donor_erase(*, email: str) -> Erasure:
    """Remove a donor's personal data here at once, and at Stripe as soon as it
    answers.

    Here, every gift made with the address (or paid by the same Stripe customer)
    loses its address and public name and is marked erased; the gifts themselves
    and every ledger posting stay, so the funds' figures do not change. The
    donor's manage links, the mail sent only to them, the record of the annual
    receipts sent to them and a donor sign-in account
    with the address go too (a staff account with it is kept). Their Stripe
    customers are queued for deletion, which also cancels their monthly gifts at
    Stripe; `stripe_erasures_run` does it after the commit and retries until
    Stripe confirms. Nothing here waits for Stripe. Safe to run again.
    """
    email = normalise_email(email)
    if not email:
        raise ValueError("an address is needed")
    result = Erasure()
    with transaction.atomic():
        subscriptions = list(
            Subscription.objects.select_for_update().filter(
                _matching("email", [email])
                | Q(
                    pk__in=Donation.objects.filter(_matching("email", [email])).values(
                        "subscription_id"
                    )
                )
            )
        )
        customer_ids = set(
            Donation.objects.filter(_matching("email", [email]))
            .exclude(customer_id="")
            .values_list("customer_id", flat=True)
        ) | {s.customer_id for s in subscriptions if s.customer_id}
        now = timezone.now()
        for subscription in subscriptions:
            if subscription.status not in ENDED:
                result.cancelled.append(
                    _("%(amount)s a month")
                    % {
                        "amount": format_money(
                            subscription.amount, subscription.currency
                        )
                    }
                )
        donations = Donation.objects.filter(
            _matching("email", [email])
            | Q(customer_id__in=customer_ids)
            | Q(subscription__in=subscriptions)
        )
        result.donations = donations.update(
            email="",
            public_name="",
            show_name=False,
            erased_at=Coalesce(F("erased_at"), Value(now)),
        )
        result.subscriptions = Subscription.objects.filter(
            pk__in=[s.pk for s in subscriptions]
        ).update(email="", erased_at=Coalesce(F("erased_at"), Value(now)))
        for customer_id in sorted(customer_ids):
            StripeCustomerErasure.objects.get_or_create(customer_id=customer_id)
        result.stripe_customers = len(customer_ids)
        result.emails = _erase_outbox(email)
        manage_links_forget(email=email)
        AnnualReceiptSent.objects.filter(
            email_digest=AnnualReceiptSent.digest_of(email)
        ).delete()
        donor_accounts_delete(email=email)
        if customer_ids:
            transaction.on_commit(_start_stripe_erasures)
    return result


def _start_stripe_erasures() -> None:
    try:
        erase_at_stripe.delay()
    except Exception:  # the broker is down: the periodic task picks it up
        logger.warning("could not enqueue the Stripe erasures", exc_info=True)
