"""What a register import keeps: which page each external id became, and the
progress and outcome of each import (prisoners/register_import)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportedProfile(models.Model):
    """An id from a coalition's register, and the profile (every language version:
    the translation key) it was imported as. Re-importing the same file finds the
    profile here and updates it instead of drafting a second one."""

    external_id = models.CharField(_("external id"), max_length=100, unique=True)
    translation_key = models.UUIDField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("imported profile")
        verbose_name_plural = _("imported profiles")

    def __str__(self):
        return self.external_id


class ImportState(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class RegisterImport(models.Model):
    """One upload: its rows until they are imported (then dropped: the profiles
    hold the data), how far the import is, and the per-row report."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    file_name = models.CharField(max_length=255, blank=True)
    dry_run = models.BooleanField(default=True)
    state = models.CharField(
        max_length=10, choices=ImportState.choices, default=ImportState.PENDING
    )
    rows = models.JSONField(default=list, blank=True)
    total = models.PositiveIntegerField(default=0)
    processed = models.PositiveIntegerField(default=0)
    report = models.JSONField(default=dict, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("register import")
        verbose_name_plural = _("register imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.file_name or f"#{self.pk}"

    @property
    def percent(self) -> int:
        return round(100 * self.processed / self.total) if self.total else 0
