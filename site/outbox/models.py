import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """One email waiting to be sent, being sent, sent, or failed for good.

    The message itself is sealed (outbox.sealing): subject, body, links, codes and
    addresses are readable only by the code that sends it. What stays in the clear
    is what running the site needs: the template, the recipients' domains, the
    status and the attempts. Whoever holds "Can see and resend outgoing email"
    (Settings → Outgoing email) sees those and sends a failed message again.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    message_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    template = models.CharField(_("template"), max_length=100, blank=True)
    recipient_domains = models.CharField(
        _("recipient domain"), max_length=255, blank=True
    )
    recipients_digest = models.CharField(
        max_length=64,
        db_index=True,
        blank=True,
        help_text="Keyed fingerprint of the recipients (see outbox.sealing).",
    )
    sealed = models.TextField(help_text="The encrypted message (see outbox.sealing).")
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing email")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        # No view/change/… permissions that a staff group could hold by habit: the
        # outbox is for whoever runs the site, given this one on purpose.
        default_permissions = ()
        permissions = [("run_outbox", _("Can see and resend outgoing email"))]

    def __str__(self):
        return f"{self.template or _('email')} → {self.recipient_domains or '?'}"
