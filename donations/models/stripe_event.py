from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StripeEvent(models.Model):
    """A verified webhook event, stored once (unique on Stripe's id) before anything
    is done with it; a Celery task processes it."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("Received")
        PROCESSED = "processed", _("Processed")
        IGNORED = "ignored", _("Ignored (unknown type)")
        FAILED = "failed", pgettext_lazy("processing", "Failed")

    event_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    payload = models.JSONField()
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.RECEIVED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # When a failed attempt may be tried again (exponential back-off, see
    # `donations.stripe.events.retry_delay`); the periodic sweep waits for it.
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Stripe event")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.type} {self.event_id}"
