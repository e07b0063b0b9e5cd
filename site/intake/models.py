"""Reports of persecution, kept only as ciphertext.

What is in the clear is what triage needs to route a report without reading it:
its state, the member it is assigned to, the language to answer in, and the day it
arrived (a day, not a time, so that it cannot be matched with a web server's log).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Recipient(models.Model):
    """A person who reads reports: network-wide triage, or one member's.

    Appointed by a superuser; the person then sets a passphrase, which creates
    their key pair. Until then nothing is sealed to them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="intake_recipient",
        verbose_name=_("person"),
    )
    member = models.ForeignKey(
        "network.Member",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="intake_recipients",
        verbose_name=_("member organisation"),
        help_text=_("Empty for network-wide triage, who read every report."),
    )
    public_key = models.BinaryField(null=True, editable=False)
    wrapped_private_key = models.BinaryField(null=True, editable=False)
    kdf_salt = models.BinaryField(null=True, editable=False)
    kdf_ops = models.PositiveIntegerField(null=True, editable=False)
    kdf_mem = models.PositiveBigIntegerField(null=True, editable=False)
    appointed_at = models.DateTimeField(auto_now_add=True)
    key_created_at = models.DateTimeField(null=True, editable=False)

    class Meta:
        verbose_name = _("report recipient")
        verbose_name_plural = _("report recipients")
        permissions = [("manage_recipients", "Can appoint who reads reports")]

    def __str__(self):
        return self.user.get_username()

    @property
    def has_key(self) -> bool:
        return self.public_key is not None

    @property
    def is_network_wide(self) -> bool:
        return self.member_id is None


class RecoveryKey(models.Model):
    """The network's recovery key: its public half only. The private half was
    printed once at set-up and is kept offline (README, "Reports")."""

    public_key = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
    retired_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery key")
        verbose_name_plural = _("recovery keys")

    def __str__(self):
        from .crypto import fingerprint

        return fingerprint(bytes(self.public_key))


class ReportState(models.TextChoices):
    NEW = "new", _("New")
    ASSESSED = "assessed", _("Assessed")
    ASSIGNED = "assigned", _("Assigned")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    REFERRED = "referred", _("Referred")


OPEN_STATES = (ReportState.NEW, ReportState.ASSESSED, ReportState.ASSIGNED)
CLOSED_STATES = (ReportState.ACCEPTED, ReportState.DECLINED, ReportState.REFERRED)


class Report(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Short, for staff to name a report to each other; says nothing of its content.
    reference = models.CharField(max_length=12, unique=True, editable=False)
    receipt_lookup = models.CharField(max_length=128, unique=True, editable=False)
    reporter_salt = models.BinaryField(editable=False)
    reporter_public_key = models.BinaryField(editable=False)
    public_key = models.BinaryField(editable=False)
    state = models.CharField(
        max_length=20, choices=ReportState.choices, default=ReportState.NEW
    )
    member = models.ForeignKey(
        "network.Member",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
    )
    language = models.CharField(max_length=10)
    received_on = models.DateField()
    changed_on = models.DateField()
    # Whether the reporter added something or wrote since triage last looked.
    awaiting_network = models.BooleanField(default=True)
    profile_key = models.UUIDField(null=True, blank=True, editable=False)
    materials_moved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-received_on", "reference"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        permissions = [("triage_reports", "Can triage reports")]

    def __str__(self):
        return self.reference


class Envelope(models.Model):
    """The report's private key sealed to one reader (or, with no recipient, to
    the recovery key)."""

    report = models.ForeignKey(
        Report, on_delete=models.CASCADE, related_name="envelopes"
    )
    recipient = models.ForeignKey(
        Recipient, null=True, on_delete=models.CASCADE, related_name="envelopes"
    )
    recovery_key = models.ForeignKey(
        RecoveryKey, null=True, on_delete=models.CASCADE, related_name="envelopes"
    )
    sealed_key = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["report", "recipient"], name="one_envelope_per_recipient"
            ),
            models.UniqueConstraint(
                fields=["report", "recovery_key"], name="one_envelope_per_recovery"
            ),
        ]

    def __str__(self):
        return f"{self.report_id} → {self.recipient_id or self.recovery_key_id}"


class EntryKind(models.TextChoices):
    REPORT = "report", _("Report")
    ADDITION = "addition", _("Addition from the reporter")
    REPLY = "reply", _("Reply to the reporter")
    ASSESSMENT = "assessment", _("Assessment")
    NOTE = "note", _("Triage note")


class Entry(models.Model):  # noqa: DJ008 (nothing to show but ciphertext)
    """One thing said in a report's conversation, sealed to the report's key; a
    reply is sealed a second time to the reporter's key."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="entries")
    kind = models.CharField(max_length=20, choices=EntryKind.choices)
    sealed = models.BinaryField()
    sealed_for_reporter = models.BinaryField(null=True)
    created_on = models.DateField()

    class Meta:
        ordering = ["pk"]


class Attachment(models.Model):  # noqa: DJ008
    """A file the reporter sent: its name and type and its bytes, each sealed."""

    entry = models.ForeignKey(Entry, on_delete=models.CASCADE, related_name="files")
    sealed_meta = models.BinaryField()
    sealed_body = models.BinaryField()
    size = models.PositiveIntegerField()

    class Meta:
        ordering = ["pk"]
