from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from accounts.emails import normalise_email


class AnnualReceiptSent(models.Model):
    """That a donor was emailed their receipt for a year: the unique pair makes the
    January sending happen once per donor and year, however often it is run.

    The donor is known only by a keyed HMAC of their address (keyed with
    SECRET_KEY), never the address itself; erasing a donor deletes their rows.
    """

    email_digest = models.CharField(max_length=64)
    year = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("annual receipt sent")
        verbose_name_plural = _("annual receipts sent")
        constraints = [
            models.UniqueConstraint(
                fields=["email_digest", "year"], name="annualreceiptsent_unique"
            )
        ]

    def __str__(self):
        return f"annual receipt {self.year} #{self.pk}"

    @staticmethod
    def digest_of(email: str) -> str:
        return salted_hmac(
            "donations.annual-receipt", normalise_email(email), algorithm="sha256"
        ).hexdigest()
