from django.db import models
from django.utils.translation import gettext_lazy as _


class BudgetCategory(models.TextChoices):
    """What a case's money is spent on; budget lines, allocations and the public
    "where the money went" lists all use these."""

    COUNSEL = "counsel", _("Defence counsel")
    EXPERT = "expert", _("Expert opinion")
    TRANSLATION = "translation", _("Translation")
    TRAVEL = "travel", _("Travel")
    COURT_FEES = "court_fees", _("Court and filing fees")
    ECHR_UN = "echr_un", _("ECHR / UN application")
    PARCELS = "parcels", _("Parcels and prison shop")
    FAMILY = "family", _("Family support")
    ASYLUM = "asylum", _("Asylum accompaniment")


class CaseBudgetLine(models.Model):
    """What the defence of one person is expected to cost in one category, in minor
    units of the base currency. Editors and the Board keep it up to date; every
    change is in the audit log. One line per case and category."""

    case = models.ForeignKey(
        "prisoners.PrisonerPage",
        verbose_name=_("case"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Every language version of a profile shares one budget, like its fund.
    case_key = models.UUIDField(db_index=True, editable=False)
    category = models.CharField(
        _("category"), max_length=30, choices=BudgetCategory.choices
    )
    planned_amount = models.BigIntegerField(
        _("planned amount"), help_text=_("In euro cents.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("budget line")
        verbose_name_plural = _("case budgets")
        ordering = ["case_key", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_key", "category"], name="budget_line_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(planned_amount__gte=0),
                name="budget_line_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.case or self.case_key}: {self.get_category_display()}"
