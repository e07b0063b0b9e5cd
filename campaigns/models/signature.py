from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from campaigns.choices import SignatureStatus, SignerKind


class Signature(models.Model):
    """One organisation's or person's signature under a joint statement.

    It counts only once its email address is confirmed. The statement is identified
    by its translation key, so signing any language version counts for all of them.
    The email is kept only until SIGNATURE_EMAIL_RETENTION_DAYS after confirmation;
    `email_digest` (a keyed hash) still stops the same address signing twice.
    """

    statement_key = models.UUIDField(db_index=True)
    kind = models.CharField(_("signs as"), max_length=20, choices=SignerKind.choices)
    name = models.CharField(_("name"), max_length=200, blank=True)
    show_name = models.BooleanField(_("name shown publicly"), default=True)
    country = CountryField(_("country"))
    website = models.URLField(_("website"), blank=True, max_length=300)
    email = models.EmailField(_("email"), blank=True, max_length=254)
    email_digest = models.CharField(max_length=64, editable=False)
    language = models.CharField(max_length=10, default="en")
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=SignatureStatus.choices,
        default=SignatureStatus.PENDING,
        db_index=True,
    )
    approved = models.BooleanField(
        _("approved to show"),
        default=False,
        help_text=_("Organisations' names show only once a moderator approves them."),
    )
    created_at = models.DateTimeField(_("signed"), auto_now_add=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    email_erased_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        # Held by no staff group: whom the network lets contact signers is its
        # own decision, made by giving a group this permission.
        permissions = [
            (
                "export_signer_emails",
                _("Can see and export signers' email addresses"),
            )
        ]
        ordering = ["-confirmed_at", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["statement_key", "email_digest"],
                name="one_signature_per_email_per_statement",
            )
        ]
        indexes = [models.Index(fields=["statement_key", "status", "confirmed_at"])]

    def __str__(self):
        return self.name

    @property
    def is_counted(self) -> bool:
        return self.status == SignatureStatus.CONFIRMED

    @property
    def is_publicly_named(self) -> bool:
        if not self.is_counted or not self.show_name:
            return False
        return self.kind == SignerKind.INDIVIDUAL or self.approved
