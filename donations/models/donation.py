import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Designation(models.TextChoices):
    GENERAL = "general", _("Where it is most needed")
    CAMPAIGN = "campaign", _("This campaign")
    CASE = "case", _("This person's defence")


class Donation(models.Model):
    """One gift: a one-off payment, or one month's payment of a monthly gift.

    Created by us before Stripe is involved; Stripe's webhooks (never the redirect)
    mark it paid. The amount given is kept in its own currency; what it settled to in
    the base currency, and Stripe's fee, are in the ledger.
    """

    class Frequency(models.TextChoices):
        ONE_OFF = "one_off", _("One-off")
        MONTHLY = "monthly", _("Monthly")

    class Status(models.TextChoices):
        CREATED = "created", _("Created")
        CHECKOUT = "checkout", _("At checkout")
        PROCESSING = "processing", _("Payment processing")
        PAID = "paid", _("Paid")
        FAILED = "failed", pgettext_lazy("payment", "Failed")
        EXPIRED = "expired", _("Abandoned")
        REFUNDED = "refunded", _("Refunded")
        PARTIALLY_REFUNDED = "partially_refunded", _("Partly refunded")
        DISPUTED = "disputed", _("Disputed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    frequency = models.CharField(max_length=10, choices=Frequency.choices)
    currency = models.CharField(max_length=3)
    amount = models.PositiveBigIntegerField(help_text="minor units of `currency`")
    cover_fees = models.BooleanField(default=False)
    designation = models.CharField(max_length=10, choices=Designation.choices)
    subject_key = models.UUIDField(null=True, blank=True)
    show_name = models.BooleanField(default=False)
    public_name = models.CharField(max_length=120, blank=True)
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.CREATED, db_index=True
    )
    email = models.EmailField(blank=True)
    subscription = models.ForeignKey(
        "donations.Subscription",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    checkout_session_id = models.CharField(
        max_length=255, unique=True, null=True, blank=True
    )
    checkout_url = models.URLField(max_length=2000, blank=True)
    invoice_id = models.CharField(max_length=255, unique=True, null=True, blank=True)
    payment_intent_id = models.CharField(max_length=255, blank=True, db_index=True)
    charge_id = models.CharField(max_length=255, blank=True, db_index=True)
    customer_id = models.CharField(max_length=255, blank=True, db_index=True)
    # Stripe's status of a dispute on this payment ("needs_response", "won", …).
    dispute_status = models.CharField(max_length=30, blank=True)
    settled_amount = models.BigIntegerField(null=True, blank=True)
    fee_amount = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    # When its first ledger posting was made: set by `ledger.ledger_post` in the
    # posting's own transaction, so it is null exactly while the ledger has no
    # transaction of this donation. The attention list's "paid, not posted" check
    # then reads a small partial index instead of comparing every paid donation
    # with every posting.
    ledger_posted_at = models.DateTimeField(null=True, blank=True, editable=False)
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(
                fields=["paid_at", "id"],
                name="donation_paid_unposted",
                condition=models.Q(paid_at__isnull=False, ledger_posted_at=None),
            ),
        ]

    def __str__(self):
        return f"{self.get_frequency_display()} {self.amount} {self.currency}"


class Subscription(models.Model):
    """A monthly gift at Stripe, and what the donor can change about it."""

    stripe_id = models.CharField(max_length=255, unique=True)
    customer_id = models.CharField(max_length=255, db_index=True)
    status = models.CharField(max_length=30)
    currency = models.CharField(max_length=3)
    amount = models.PositiveBigIntegerField()
    designation = models.CharField(max_length=10, choices=Designation.choices)
    subject_key = models.UUIDField(null=True, blank=True)
    email = models.EmailField(blank=True)
    language = models.CharField(max_length=10, default="en")
    started_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set when the donor erased their data: later payments stay without personal data.
    erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("monthly gift")
        verbose_name_plural = _("monthly gifts")

    def __str__(self):
        return self.stripe_id

    @property
    def failed_payments(self) -> int:
        """Monthly payments that failed and were never paid (derived, not counted)."""
        return self.donations.filter(status=Donation.Status.FAILED).count()
