"""The public report form and the reporter's follow-up, both usable without
JavaScript."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .choices import HelpNeeded, PersecutedBy, Relation


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


ACCEPTED_TYPES = (
    ".pdf,.jpg,.jpeg,.png,.webp,.docx,.odt,.xlsx,.zip,"
    "application/pdf,image/jpeg,image/png,image/webp,application/zip"
)


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPTED_TYPES}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def _files_field():
    return MultipleFileField(
        label=_("Documents or photos (optional)"),
        required=False,
        help_text=_(
            "PDF, JPEG, PNG, WebP or office documents; up to 5 files of 10 MB. "
            "Photos lose where and when they were taken before they are kept."
        ),
    )


class ReportForm(forms.Form):
    person = forms.CharField(
        label=_("Who is persecuted?"),
        max_length=300,
        help_text=_("A name, or a description if naming them is unsafe."),
    )
    relation = forms.ChoiceField(
        label=_("Who are you to them?"),
        choices=Relation.choices,
        widget=forms.RadioSelect,
    )
    where = forms.CharField(
        label=_("Where?"),
        max_length=300,
        help_text=_("Country, region or city; where they are held, if you know."),
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Dates, charges, courts, case numbers: what you know."),
    )
    persecuted_by = forms.MultipleChoiceField(
        label=_("By whom?"),
        choices=PersecutedBy.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    help_needed = forms.MultipleChoiceField(
        label=_("What help do you ask for?"),
        choices=HelpNeeded.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    contact = forms.CharField(
        label=_("How can we reach you safely? (optional)"),
        max_length=500,
        required=False,
        help_text=_(
            "Any channel you choose (Signal, an email address, through a lawyer), or "
            "none: you can always come back with your receipt code."
        ),
    )
    files = _files_field()
    # Filled by ALTCHA's widget when the form is busy (see views.report_form).
    altcha = forms.CharField(required=False, widget=forms.HiddenInput)

    def content(self) -> dict:
        data = self.cleaned_data
        return {
            "person": data["person"],
            "relation": data["relation"],
            "where": data["where"],
            "what_happened": data["what_happened"],
            "persecuted_by": data["persecuted_by"],
            "help_needed": data["help_needed"],
            "contact": data["contact"],
        }


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("Your receipt code"),
        max_length=80,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class AdditionForm(ReceiptForm):
    text = forms.CharField(
        label=_("What would you like to add?"),
        max_length=20000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    files = _files_field()
