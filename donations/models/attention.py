from django.db import models
from django.utils.translation import gettext_lazy as _


class RepairRun(models.Model):
    """One run of the hourly repair from Stripe (`donations.stripe.repair`): what it
    synced, each object it could not repair, and whether it got through at all.
    The Board's attention list reads the latest runs."""

    started_at = models.DateTimeField(_("started"), db_index=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    hours = models.PositiveSmallIntegerField(_("hours looked back"), default=72)
    # {"sessions": 3, "invoices": 1, ...}: objects synced, by kind.
    counts = models.JSONField(_("synced"), default=dict, blank=True)
    # [{"kind": "sessions", "id": "cs_…", "error": "InvalidRequestError: …"}, …]
    failures = models.JSONField(_("not repaired"), default=list, blank=True)
    failure_count = models.PositiveIntegerField(_("objects not repaired"), default=0)
    completed = models.BooleanField(
        _("completed"),
        default=False,
        help_text=_("False when the run itself could not finish (Stripe unreachable)."),
    )
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("repair run")
        verbose_name_plural = _("repair runs")
        ordering = ["-started_at", "-pk"]

    def __str__(self):
        return f"{self.started_at:%Y-%m-%d %H:%M}"


class AttentionDigest(models.Model):
    """One digest of what needs the Board's attention, as emailed: the keys of the
    items it listed, and of those still there at each hourly check since, so that
    the same unchanged items are not sent again (and one that went away and came
    back is)."""

    sent_at = models.DateTimeField(_("sent"), db_index=True)
    keys = models.JSONField(default=list)
    unresolved = models.JSONField(default=list, blank=True)
    item_count = models.PositiveIntegerField(_("items"), default=0)
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)

    class Meta:
        verbose_name = _("attention digest")
        verbose_name_plural = _("attention digests")
        ordering = ["-sent_at", "-pk"]

    def __str__(self):
        return f"{self.sent_at:%Y-%m-%d %H:%M}: {self.item_count}"
