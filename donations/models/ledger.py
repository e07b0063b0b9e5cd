from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .budget import BudgetCategory


class Account(models.Model):
    """One account of the fund ledger.

    Funds hold the money designated to them: the general fund, and one restricted
    fund per case (prisoner) and per campaign, identified by the page's translation
    key so that every language version shares it. Each fund bears its own payment
    and dispute fees (an account of each per fund), so what a fund can still commit
    is its gifts less their fees, refunds and allocations. Money committed to a case
    sits in one "committed" account per case and budget category until it is paid.
    Stripe clearing is the money at Stripe; the bank is what Stripe paid out to us,
    less what we paid to lawyers, experts and others.
    """

    class Kind(models.TextChoices):
        CLEARING = "clearing", _("Stripe clearing")
        FUND = "fund", _("Fund")
        FEES = "fees", _("Payment fees")
        DISPUTE_FEES = "dispute_fees", _("Dispute fees")
        COMMITTED = "committed", _("Committed to a case")
        BANK = "bank", _("Bank")

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
    category = models.CharField(
        _("budget category"), max_length=30, choices=BudgetCategory.choices, blank=True
    )

    class Meta:
        verbose_name = _("ledger account")
        verbose_name_plural = _("ledger accounts")
        indexes = [models.Index(fields=["kind", "fund_type", "subject_key"])]

    def __str__(self):
        return self.name


class Flow(models.TextChoices):
    """What kind of movement a transaction is, for reports: a gift's payment and
    its refunds by the gift's frequency; a dispute's withdrawals and their
    reinstatement (kept apart, so that money a won dispute gives back is never
    counted as a new gift); a staff action; or Stripe paying out to the bank."""

    ONE_OFF = "one_off", _("One-off gifts")
    MONTHLY = "monthly", _("Monthly gifts")
    DISPUTE = "dispute", _("Disputes")
    ALLOCATION = "allocation", _("Allocations")
    DISBURSEMENT = "disbursement", _("Disbursements")
    PAYOUT = "payout", _("Payouts")
    OTHER = "other", _("Other")


class LedgerTransaction(models.Model):
    """A balanced set of legs, posted once and never changed; a correction is a new,
    reversing transaction. `cause_key` names what caused it (a Stripe balance
    transaction, a staff action) and is unique, so nothing is posted twice."""

    cause_key = models.CharField(max_length=200, unique=True)
    description = models.CharField(max_length=300)
    flow = models.CharField(max_length=20, choices=Flow.choices, default=Flow.OTHER)
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
    # The staff member whose approval caused it (allocations, disbursements).
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
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


class MonthTotals(models.Model):
    """A month's debits and credits of a roll-up row, and how many legs each."""

    month = models.DateField()
    flow = models.CharField(max_length=20, choices=Flow.choices)
    debits = models.BigIntegerField(default=0)
    credits = models.BigIntegerField(default=0, help_text="positive: sum of credits")
    debit_count = models.IntegerField(default=0)
    credit_count = models.IntegerField(default=0)

    class Meta:
        abstract = True

    @property
    def balance(self) -> int:
        return self.debits - self.credits


class AccountMonth(MonthTotals):
    """Each account's debits and credits per calendar month (UTC) and flow, kept by
    `ledger.ledger_post` in the same database transaction as the legs, so that
    reports read a few thousand rows instead of millions of legs. It is derived
    data: `ledger.rollup_rebuild()` recomputes it from the legs, and
    `ledger.rollup_mismatches()` proves it equal to them."""

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("ledger month")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "month", "flow"], name="accountmonth_unique"
            )
        ]
        indexes = [models.Index(fields=["month", "flow"])]

    def __str__(self):
        return f"{self.account} {self.month:%Y-%m} {self.flow}"


class LedgerMonth(MonthTotals):
    """The ledger per calendar month (UTC) and flow, by kind of account, fund type
    and budget category: `AccountMonth` with the accounts summed up, a few hundred
    rows whatever the number of cases, for reports over all cases. Kept by
    `ledger.ledger_post` with the legs, rebuilt and checked with `AccountMonth`."""

    kind = models.CharField(max_length=20, choices=Account.Kind.choices)
    fund_type = models.CharField(max_length=20, blank=True)
    category = models.CharField(max_length=30, blank=True)

    class Meta:
        verbose_name = _("ledger month by kind")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "fund_type", "category", "month", "flow"],
                name="ledgermonth_unique",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.fund_type} {self.month:%Y-%m} {self.flow}"


class DisclosedMonth(models.Model):
    """What the network may publish of its funds' gifts, kept with the postings.

    Each fund's gifts are published in batches (the disclosure rule,
    `donations.transparency.disclosure`); a batch is published once its last month
    has closed. This row holds, for one fund type, the batches of every fund whose
    last month is `month`: their gifts, refunds and fees, and what the funds'
    published (rounded) figures grew by. So the network's published totals up to
    any cut-off are a sum over a few dozen rows, and nothing a page withholds is in
    a row before its batch is complete. Derived from `AccountMonth` in the same
    transaction as the legs by `ledger.ledger_post`; `ledger.rollup_rebuild()`
    recomputes it and `ledger.rollup_mismatches()` checks it against the legs."""

    fund_type = models.CharField(max_length=20, blank=True)
    month = models.DateField(help_text="the last month of the batches")
    gifts = models.BigIntegerField(default=0)
    refunds = models.BigIntegerField(default=0)
    fees = models.BigIntegerField(default=0)
    raised = models.BigIntegerField(
        default=0, help_text="what the funds' published figures grew by"
    )

    class Meta:
        verbose_name = _("disclosed month")
        constraints = [
            models.UniqueConstraint(
                fields=["fund_type", "month"], name="disclosedmonth_unique"
            )
        ]

    def __str__(self):
        return f"{self.fund_type} {self.month:%Y-%m}"


class CasePaid(models.Model):
    """What was paid for each case over all time: its committed accounts' payments
    net of reversals (debits less credits, flow "disbursement"), so that the
    network's payments by region read one row per case, not the roll-up of every
    category and month (a month's figures are this less the months after it). Kept
    by `ledger.ledger_post` with the legs; `ledger.rollup_rebuild()` recomputes it
    and `ledger.rollup_mismatches()` checks it against the legs."""

    case_key = models.UUIDField(unique=True)
    paid = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("paid per case")

    def __str__(self):
        return f"{self.case_key} {self.paid}"
