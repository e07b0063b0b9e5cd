from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ManageLink(models.Model):
    """A link a donor was emailed to see and manage their gifts.

    The token in the URL is random and says nothing about the donor (it ends up in
    access logs, browser history and Stripe's portal `return_url`); only its
    SHA-256 is kept here, so a copy of the database opens nobody's page. Erasing the
    donor's data deletes their links.
    """

    token_hash = models.CharField(max_length=64, unique=True)
    email = models.EmailField(max_length=254, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("manage link")

    def __str__(self):
        return f"manage link {self.pk}"


class StripeCustomerErasure(models.Model):
    """A donor's customer at Stripe, still to be deleted after their data was
    erased here. Erasure never waits for Stripe: the deletion is retried until
    Stripe confirms it (or says the customer is gone)."""

    customer_id = models.CharField(max_length=255, unique=True)
    requested_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)
    done_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("Stripe customer erasure")

    def __str__(self):
        return f"erasure of {self.customer_id}"
