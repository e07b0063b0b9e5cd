"""Spending the funds: allocations commit money from a fund to a case's budget
category, disbursements record what was paid against an allocation. Both are drafted
by one person and approved by a different Board member (`donations.spending.services`);
only approved entries are in the ledger, and nothing is ever deleted: a correction is
a reversal, drafted and approved the same way."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .budget import BudgetCategory

# Invoices name payees: they live under a prefix only the Board may read (see
# `safeimages.views.staff_media`), under names nobody can guess.
PRIVATE_MEDIA_PREFIX = "private/"


def invoice_path(instance, filename: str) -> str:
    suffix = PurePath(filename).suffix.lower()[:6]
    return f"{PRIVATE_MEDIA_PREFIX}invoices/{uuid.uuid4().hex}{suffix}"


class EntryStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("board entry", "Withdrawn")


class Payee(models.Model):
    """Whom the network pays: a lawyer, an expert, a translator, an organisation.
    Lawyers are at risk too, so payees are seen by the Board group only; everywhere
    else a payment is its category, case, month and amount."""

    class Kind(models.TextChoices):
        LAWYER = "lawyer", _("Lawyer")
        EXPERT = "expert", _("Expert")
        TRANSLATOR = "translator", _("Translator")
        ORGANISATION = "organisation", _("Organisation")
        PERSON = "person", _("Other person")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country"), max_length=100, blank=True)
    details = models.TextField(
        _("payment details"),
        blank=True,
        help_text=_("Bank details and contacts; seen by the Board only."),
    )
    # A grant to a member organisation (covering a case's lawyer or expert) is a
    # payment to this payee; its payments must be carried out by that member.
    member = models.ForeignKey(
        "network.Member",
        verbose_name=_("member organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Set when this payee is a member organisation of the network."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("payee")
        verbose_name_plural = _("payees")
        ordering = ["name"]

    def __str__(self):
        return self.name


class BoardEntry(models.Model):
    """What allocations and disbursements share: who drafted and who decided, and
    the ledger transaction an approval posted."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    amount = models.BigIntegerField(_("amount"), help_text=_("In euro cents."))
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EntryStatus.choices,
        default=EntryStatus.PENDING,
        db_index=True,
    )
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    drafted_at = models.DateTimeField(_("drafted at"), auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    ledger_transaction = models.OneToOneField(
        "donations.LedgerTransaction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        abstract = True

    @property
    def is_reversal(self) -> bool:
        return self.reverses_id is not None

    @property
    def signed_amount(self) -> int:
        """The amount as it counts: a reversal takes away."""
        return -self.amount if self.is_reversal else self.amount


class Allocation(BoardEntry):
    """Money committed from a fund (the case's own, a campaign's concerning the
    person, or the general fund) to one budget category of a case."""

    fund = models.ForeignKey(
        "donations.Account",
        verbose_name=_("from fund"),
        on_delete=models.PROTECT,
        related_name="allocations",
    )
    case = models.ForeignKey(
        "prisoners.PrisonerPage",
        verbose_name=_("case"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    case_key = models.UUIDField(db_index=True)
    category = models.CharField(
        _("category"), max_length=30, choices=BudgetCategory.choices
    )
    purpose = models.CharField(
        _("purpose"),
        max_length=300,
        help_text=_("What it pays for, for the Board (never shown publicly)."),
    )
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )
    # The member organisation that carries out the work paid for (none when the
    # network pays directly). It is what the Board's "by member" figures, the
    # member's own money page and the public per-member totals count by.
    carried_out_by = models.ForeignKey(
        "network.Member",
        verbose_name=_("carried out by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Recorded when a Board member approved committing more than the general fund
    # held at the time.
    overdraft_amount = models.BigIntegerField(_("overdraft approved"), default=0)

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        ordering = ["-drafted_at"]
        indexes = [models.Index(fields=["case_key", "category", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="allocation_amount_positive"
            )
        ]

    def __str__(self):
        verb = _("Reversal of allocation") if self.is_reversal else _("Allocation")
        return f"{verb} {str(self.public_id)[:8]}"


class Disbursement(BoardEntry):
    """A payment made against an allocation: to whom, when, how much (in euros, and
    in the currency paid if another), the bank reference and the invoice."""

    allocation = models.ForeignKey(
        Allocation,
        verbose_name=_("allocation"),
        on_delete=models.PROTECT,
        related_name="disbursements",
    )
    # Copied from the allocation, so that reports need no join.
    case_key = models.UUIDField(db_index=True, editable=False)
    category = models.CharField(
        max_length=30, choices=BudgetCategory.choices, editable=False
    )
    payee = models.ForeignKey(
        Payee, verbose_name=_("payee"), on_delete=models.PROTECT, related_name="+"
    )
    # The member organisation that carries out the work paid for (none when the
    # network pays directly). It is what the Board's "by member" figures, the
    # member's own money page and the public per-member totals count by.
    carried_out_by = models.ForeignKey(
        "network.Member",
        verbose_name=_("carried out by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    paid_on = models.DateField(_("paid on"))
    original_currency = models.CharField(_("currency paid"), max_length=3, blank=True)
    original_amount = models.BigIntegerField(
        _("amount paid in that currency"),
        null=True,
        blank=True,
        help_text=_("In that currency's minor units."),
    )
    reference = models.CharField(_("reference"), max_length=200, blank=True)
    invoice = models.FileField(
        _("invoice"),
        upload_to=invoice_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "png", "jpg", "jpeg"])],
    )
    reverses = models.ForeignKey(
        "self",
        verbose_name=_("reverses"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reversals",
    )

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-drafted_at"]
        indexes = [models.Index(fields=["case_key", "category", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="disbursement_amount_positive"
            )
        ]

    def __str__(self):
        verb = _("Reversal of payment") if self.is_reversal else _("Payment")
        return f"{verb} {str(self.public_id)[:8]}"
