"""Admin forms for budgets, allocations and disbursements. They only collect and
check input; the services in `donations.spending.services` decide and post."""

from decimal import ROUND_HALF_UP, Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateInput, AdminPageChooser

from donations.ledger import services as ledger
from donations.ledger.money import format_money
from donations.models import Account, BudgetCategory, Payee
from network.models import Member


def carried_out_by_field(help_text) -> forms.ModelChoiceField:
    """Optional: the current member organisation that carries out the work."""
    return forms.ModelChoiceField(
        label=_("Carried out by member organisation"),
        queryset=Member.objects.current(),
        required=False,
        empty_label=_("No member (the network pays directly)"),
        help_text=help_text,
    )


class EuroAmountField(forms.DecimalField):
    """Euros with cents as typed by a person ("1500", "1500.50", "1 500,50"), cleaned
    to integer euro cents."""

    def __init__(self, *, allow_zero: bool = False, **kwargs):
        self.allow_zero = allow_zero
        kwargs.setdefault("max_digits", 12)
        kwargs.setdefault("decimal_places", 2)
        kwargs.setdefault("min_value", Decimal(0) if allow_zero else Decimal("0.01"))
        kwargs.setdefault("help_text", _("In euros, e.g. 1500 or 1500.50."))
        super().__init__(**kwargs)

    def to_python(self, value):
        if isinstance(value, str):
            value = value.replace("\u202f", "").replace(" ", "").replace("€", "")
            if value.count(",") == 1 and "." not in value:
                value = value.replace(",", ".")
        return super().to_python(value)

    def clean(self, value):
        amount = super().clean(value)
        if amount is None:
            return None
        return int((amount * 100).quantize(Decimal(1), ROUND_HALF_UP))

    def prepare_value(self, value):
        if isinstance(value, int):
            return f"{Decimal(value) / 100:.2f}"
        return value


def _prisoner_page_model():
    from prisoners.models import PrisonerPage

    return PrisonerPage


class CaseBudgetLineForm(WagtailAdminModelForm):
    """The admin form of a budget line: the planned amount in euros."""

    planned_amount = EuroAmountField(label=_("planned amount"), allow_zero=True)

    def clean_case(self):
        case = self.cleaned_data.get("case")
        if case is None:
            raise forms.ValidationError(_("Choose the person whose defence this is."))
        return case

    def clean(self):
        cleaned = super().clean()
        case, category = cleaned.get("case"), cleaned.get("category")
        if case is not None:
            self.instance.case_key = case.translation_key
            if category:
                clash = type(self.instance).objects.filter(
                    case_key=case.translation_key, category=category
                )
                if self.instance.pk:
                    clash = clash.exclude(pk=self.instance.pk)
                if clash.exists():
                    self.add_error(
                        "category",
                        _("This case already has a budget line for this category."),
                    )
        return cleaned


class PayeeForm(WagtailAdminModelForm):
    """A payee; a member organisation is chosen among the current members (a
    payee already linked to one that left keeps it)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields.get("member")
        if field is not None:
            members = Member.objects.current()
            if self.instance.member_id:
                members = members | Member.objects.filter(pk=self.instance.member_id)
            field.queryset = members


GENERAL, CASE = "general", "case"


class AllocationForm(forms.Form):
    case = forms.ModelChoiceField(
        label=_("Case"),
        queryset=None,
        widget=AdminPageChooser(target_models=["prisoners.PrisonerPage"]),
    )
    fund = forms.ChoiceField(label=_("From fund"))
    category = forms.ChoiceField(label=_("Budget category"), choices=())
    amount = EuroAmountField(label=_("Amount"))
    purpose = forms.CharField(
        label=_("Purpose"),
        max_length=300,
        help_text=_("What it pays for, for the Board; never shown publicly."),
    )
    carried_out_by = carried_out_by_field(
        _("The member whose lawyer or expert does the work, if any.")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from campaigns.models import CampaignPage

        # Evaluated per form: a member that joined a minute ago is a choice.
        self.fields["carried_out_by"].queryset = Member.objects.current()
        self.fields["case"].queryset = _prisoner_page_model().objects.all()
        self.fields["category"].choices = [("", "---------"), *BudgetCategory.choices]
        campaigns = {}
        for campaign in CampaignPage.objects.order_by("-live", "pk"):
            campaigns.setdefault(campaign.translation_key, campaign)
        self.fields["fund"].choices = [
            (CASE, _("The case's own fund")),
            (GENERAL, _("The general fund")),
            (
                _("A campaign's fund (concerning this person)"),
                [(f"campaign:{k}", c.title) for k, c in campaigns.items()],
            ),
        ]

    def fund_account(self) -> Account:
        choice, case = self.cleaned_data["fund"], self.cleaned_data["case"]
        if choice == CASE:
            return ledger.fund_account(
                fund_type=Account.FundType.CASE, subject_key=case.translation_key
            )
        if choice == GENERAL:
            return ledger.fund_account(fund_type=Account.FundType.GENERAL)
        return ledger.fund_account(
            fund_type=Account.FundType.CAMPAIGN,
            subject_key=choice.removeprefix("campaign:"),
        )


class ReversalForm(forms.Form):
    amount = EuroAmountField(label=_("Amount to reverse"))
    reason = forms.CharField(label=_("Reason"), max_length=200)

    def __init__(self, *args, maximum: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["amount"].initial = maximum
        self.fields["amount"].help_text = _("At most %(max)s.") % {
            "max": format_money(maximum)
        }


class DecisionForm(forms.Form):
    note = forms.CharField(label=_("Note"), max_length=300, required=False)
    approve_overdraft = forms.BooleanField(
        label=_("I approve an overdraft of the general fund"), required=False
    )


class DisbursementForm(forms.Form):
    payee = forms.ModelChoiceField(label=_("Payee"), queryset=Payee.objects.all())
    carried_out_by = carried_out_by_field(
        _(
            "Leave empty to use the allocation's. A payment to a member "
            "organisation is carried out by that member."
        )
    )
    paid_on = forms.DateField(label=_("Paid on"), widget=AdminDateInput)
    amount = EuroAmountField(label=_("Amount in euros"))
    original_currency = forms.CharField(
        label=_("Currency paid, if not euros"),
        max_length=3,
        required=False,
        help_text=_("ISO code, e.g. UAH or PLN."),
    )
    original_amount = forms.DecimalField(
        label=_("Amount paid in that currency"),
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0.01"),
        required=False,
    )
    reference = forms.CharField(label=_("Reference"), max_length=200, required=False)
    invoice = forms.FileField(
        label=_("Invoice"),
        required=False,
        help_text=_("PDF, PNG or JPEG, up to 10 MB; seen by the Board only."),
    )

    MAX_INVOICE_BYTES = 10 * 1024 * 1024

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["carried_out_by"].queryset = Member.objects.current()

    def clean_original_currency(self):
        code = self.cleaned_data["original_currency"].strip().upper()
        if code and (len(code) != 3 or not code.isalpha()):
            raise forms.ValidationError(_("Use a three-letter currency code."))
        return code

    def clean_paid_on(self):
        paid_on = self.cleaned_data["paid_on"]
        if paid_on > timezone.localdate():
            raise forms.ValidationError(_("A payment cannot be dated in the future."))
        return paid_on

    def clean_invoice(self):
        invoice = self.cleaned_data.get("invoice")
        if invoice and invoice.size > self.MAX_INVOICE_BYTES:
            raise forms.ValidationError(_("The invoice is larger than 10 MB."))
        return invoice

    def original_minor(self) -> int | None:
        amount = self.cleaned_data.get("original_amount")
        if amount is None:
            return None
        return int((amount * 100).quantize(Decimal(1), ROUND_HALF_UP))
