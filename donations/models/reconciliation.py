from django.db import models
from django.utils.translation import gettext_lazy as _


class ReconciliationReport(models.Model):
    """One day (UTC) of Stripe's balance transactions and payouts compared with the
    ledger by the nightly check (`donations.stripe.reconciliation`). `mismatches` lists
    each difference: missing from the ledger, extra in it, or a different amount."""

    day = models.DateField(_("day"), unique=True)
    checked_at = models.DateTimeField(_("checked at"))
    stripe_count = models.IntegerField(_("Stripe balance transactions"), default=0)
    ledger_count = models.IntegerField(_("ledger postings"), default=0)
    mismatch_count = models.IntegerField(_("mismatches"), default=0)
    mismatches = models.JSONField(default=list, blank=True)
    error = models.TextField(
        _("error"), blank=True, help_text=_("Why the check could not run.")
    )

    class Meta:
        verbose_name = _("reconciliation report")
        verbose_name_plural = _("reconciliation reports")
        ordering = ["-day"]

    def __str__(self):
        return f"{self.day}: {self.mismatch_count}"
