from django.db import models
from django.utils.translation import gettext_lazy as _


class Account(models.Model):
    """One account of the fund ledger.

    Funds hold the money designated to them: the general fund, and one restricted
    fund per case (prisoner) and per campaign, identified by the page's translation
    key so that every language version shares it. Stripe clearing is the money at
    Stripe; fees, refunds and disputes record what left.
    """

    class Kind(models.TextChoices):
        CLEARING = "clearing", _("Stripe clearing")
        FUND = "fund", _("Fund")
        FEES = "fees", _("Payment fees")
        DISPUTE_FEES = "dispute_fees", _("Dispute fees")

    class FundType(models.TextChoices):
        GENERAL = "general", _("General fund")
        CAMPAIGN = "campaign", _("Campaign fund")
        CASE = "case", _("Case fund")

    code = models.CharField(max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    fund_type = models.CharField(
        _("fund type"), max_length=20, choices=FundType.choices, blank=True
    )
    subject_key = models.UUIDField(
        null=True, blank=True, help_text="translation_key of the case or campaign page"
    )

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")

    def __str__(self):
        return self.name


class LedgerTransaction(models.Model):
    """A balanced set of legs, posted once and never changed; a correction is a new,
    reversing transaction. `cause_key` names what caused it (a Stripe balance
    transaction, a staff action) and is unique, so nothing is posted twice."""

    cause_key = models.CharField(max_length=200, unique=True)
    description = models.CharField(max_length=300)
    occurred_at = models.DateTimeField()
    posted_at = models.DateTimeField(auto_now_add=True)
    donation = models.ForeignKey(
        "donations.Donation",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="ledger_transactions",
    )
    stripe_event = models.ForeignKey(
        "donations.StripeEvent",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("ledger transaction")
        ordering = ["occurred_at", "pk"]

    def __str__(self):
        return self.description


class LedgerLeg(models.Model):
    """An amount in minor units of the base currency on one account: positive is a
    debit, negative a credit; the legs of a transaction sum to zero."""

    transaction = models.ForeignKey(
        LedgerTransaction, on_delete=models.PROTECT, related_name="legs"
    )
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="legs")
    amount = models.BigIntegerField()

    class Meta:
        verbose_name = _("ledger leg")
        indexes = [models.Index(fields=["account", "transaction"])]

    def __str__(self):
        return f"{self.account} {self.amount:+d}"
