"""The dashboard's filters: a GET form, so that every view of it has a URL."""

import datetime
import re
import uuid

from django import forms
from django.utils.translation import gettext_lazy as _

from donations.dashboard import selectors
from donations.models import BudgetCategory

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class MonthField(forms.CharField):
    """A month as YYYY-MM (the browser's month input), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}"})

    def to_python(self, value):
        value = super().to_python(value).strip()
        if not value:
            return None
        match = MONTH.match(value)
        if (
            not match
            or not 1 <= int(match.group(2)) <= 12
            or int(match.group(1)) < 2000
        ):
            raise forms.ValidationError(_("Give a month as YYYY-MM."))
        return datetime.date(int(match.group(1)), int(match.group(2)), 1)


class DashboardFilterForm(forms.Form):
    start = MonthField(label=_("From (month)"), required=False)
    end = MonthField(label=_("To (month)"), required=False)
    campaign = forms.ChoiceField(label=_("Campaign"), required=False)
    region = forms.ChoiceField(label=_("Home region"), required=False)
    category = forms.ChoiceField(
        label=_("Budget category"),
        required=False,
        choices=[("", _("All categories")), *BudgetCategory.choices],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["campaign"].choices = [
            ("", _("All campaigns")),
            *selectors.campaign_choices(),
        ]
        self.fields["region"].choices = [
            ("", _("All regions")),
            *selectors.region_choices(),
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and start > end:
            raise forms.ValidationError(_("The first month is after the last."))
        return data

    def filters(self) -> selectors.Filters:
        """What was chosen; a field that is not valid counts as not chosen."""
        data = self.cleaned_data if self.is_valid() else {}
        if not self.is_valid():
            data = {
                name: self.cleaned_data[name]
                for name in self.fields
                if name in getattr(self, "cleaned_data", {}) and name not in self.errors
            }
        end = data.get("end") or selectors.current_month()
        start = data.get("start")
        if start and start > end:
            start = None
        campaign = data.get("campaign") or None
        return selectors.Filters(
            end=end,
            start=start,
            campaign=uuid.UUID(campaign) if campaign else None,
            region=data.get("region") or None,
            category=data.get("category") or None,
        )
