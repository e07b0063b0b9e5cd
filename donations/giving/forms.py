"""The donation form. It works without JavaScript: suggested amounts are radio
buttons whose labels follow the chosen currency and frequency through CSS alone,
and a typed amount is checked against the currency's limits (money.parse_amount).

We ask for as little as possible: no email (Stripe's checkout asks for one to send
the receipt), no address, and no name unless the donor asks to be named publicly.
"""

import uuid
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from donations.giving import challenge
from donations.giving.services import fee_cover
from donations.ledger.money import (
    BASE_CURRENCY,
    CURRENCIES,
    AmountError,
    CurrencyRule,
    parse_amount,
)
from donations.models import Designation, Donation
from solidarity import text

OTHER = "other"


@dataclass(frozen=True)
class Subject:
    """The case or campaign a form on its page gives to."""

    designation: str
    key: uuid.UUID
    title: str
    page_id: int

    @property
    def label(self) -> str:
        if self.designation == Designation.CASE:
            return gettext("The defence of %(name)s") % {"name": self.title}
        return gettext("The campaign “%(title)s”") % {"title": self.title}


def subject_for(page) -> Subject | None:
    """The designation a live, public prisoner or campaign page offers, if any."""
    from campaigns.models import CampaignPage
    from prisoners.models import PrisonerPage

    page = getattr(page, "specific", page)
    if isinstance(page, PrisonerPage):
        designation = Designation.CASE
    elif isinstance(page, CampaignPage):
        designation = Designation.CAMPAIGN
    else:
        return None
    return Subject(designation, page.translation_key, page.title, page.pk)


def subject_from_page_id(value) -> Subject | None:
    from wagtail.models import Page

    try:
        pk = int(value)
    except (TypeError, ValueError):
        return None
    page = Page.objects.live().public().filter(pk=pk).specific().first()
    return subject_for(page) if page else None


def suggested(rule: CurrencyRule, frequency: str) -> tuple[int, ...]:
    if frequency == Donation.Frequency.MONTHLY:
        return rule.suggested_monthly
    return rule.suggested_one_off


TIERS = max(
    len(suggested(rule, frequency))
    for rule in CURRENCIES.values()
    for frequency in Donation.Frequency.values
)


def initial_from_query(query) -> dict:
    """`?monthly=1` or `?frequency=monthly` (a link from a thank-you page or a
    newsletter) preselects monthly giving; `?currency=PLN` a currency."""
    initial = {}
    if query.get("monthly") in ("1", "yes", "true") or (
        query.get("frequency") == Donation.Frequency.MONTHLY
    ):
        initial["frequency"] = Donation.Frequency.MONTHLY
    currency = str(query.get("currency", "")).upper()
    if currency in CURRENCIES:
        initial["currency"] = currency
    return initial


def _currency_label(rule: CurrencyRule) -> str:
    return rule.code if rule.symbol == rule.code else f"{rule.code} ({rule.symbol})"


class DonationForm(forms.Form):
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Donation.Frequency.choices,
        widget=forms.RadioSelect,
        initial=Donation.Frequency.ONE_OFF,
        error_messages={
            "required": _("Please choose one-off or monthly."),
            "invalid_choice": _("Please choose one-off or monthly."),
        },
    )
    currency = forms.ChoiceField(
        label=_("Currency"),
        choices=[(code, _currency_label(rule)) for code, rule in CURRENCIES.items()],
        widget=forms.RadioSelect,
        initial=BASE_CURRENCY,
        error_messages={
            "required": _("Please choose a currency."),
            "invalid_choice": _("This currency is not accepted."),
        },
    )
    amount = forms.ChoiceField(
        label=_("Amount"),
        choices=[(str(i), str(i)) for i in range(TIERS)] + [(OTHER, _("Other"))],
        widget=forms.RadioSelect,
        required=False,
        initial="1",  # the second suggestion: a gift most donors can make
        error_messages={"invalid_choice": _("Please choose one of the amounts.")},
    )
    other_amount = forms.CharField(
        label=_("Other amount"),
        required=False,
        max_length=20,
        help_text=_(
            "In the currency chosen above, for example 25 or 25.50. If you type an "
            "amount here, it is used instead of the choice above."
        ),
    )
    designation = forms.ChoiceField(
        label=_("Where your gift goes"),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Please choose where your gift goes."),
            "invalid_choice": _("Please choose where your gift goes."),
        },
    )
    page = forms.IntegerField(widget=forms.HiddenInput, required=False)
    cover_fees = forms.BooleanField(
        label=_("Add the card fee to my gift"), required=False
    )
    show_name = forms.BooleanField(
        label=_("Name me publicly as a supporter"),
        required=False,
        initial=False,
        help_text=_("Leave this unticked to give anonymously: no name is published."),
    )
    public_name = forms.CharField(
        label=_("Name to show"),
        max_length=120,
        required=False,
        help_text=_("Only used if you tick the box above. A first name will do."),
    )
    # ALTCHA's widget adds this hidden field itself when the card-testing defence is
    # on (static/js/donate-challenge.js); not rendered by the template.
    altcha = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        subject: Subject | None = None,
        challenge_required: bool = False,
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.subject = subject
        self.challenge_required = challenge_required
        self.challenge_failed = False
        general = (Designation.GENERAL.value, Designation.GENERAL.label)
        if subject is None:
            self.fields["designation"].choices = [general]
            self.fields["designation"].initial = Designation.GENERAL
        else:
            self.fields["designation"].choices = [
                (subject.designation, subject.label),
                general,
            ]
            self.fields["designation"].initial = subject.designation
            self.fields["page"].initial = subject.page_id

    # --- Validation -------------------------------------------------------------------

    def clean_other_amount(self):
        return self.cleaned_data["other_amount"].strip()

    def clean_public_name(self):
        return text.typed_name(self.cleaned_data["public_name"])

    def clean(self):
        data = super().clean()
        currency, frequency = data.get("currency"), data.get("frequency")
        if currency and frequency:
            data["amount_minor"] = self._amount(data, CURRENCIES[currency], frequency)
        if (
            data.get("show_name")
            and not data.get("public_name")
            and "public_name" not in self.errors
        ):
            self.add_error(
                "public_name",
                _(
                    "Please give the name to show, or untick “Name me publicly” to "
                    "give anonymously."
                ),
            )
        if not data.get("show_name"):
            data["public_name"] = ""  # not asked to publish it: not kept
        if self.challenge_required and not self.errors:
            if not challenge.verify(data.get("altcha")):
                self.challenge_failed = True
                self.add_error(
                    None,
                    _(
                        "We could not check your browser. Nothing has been charged. "
                        "Please press “Continue to payment” again."
                    ),
                )
        return data

    def _amount(self, data, rule: CurrencyRule, frequency: str) -> int | None:
        other, choice = data.get("other_amount"), data.get("amount")
        amount = None
        if other:
            try:
                amount = parse_amount(other, rule.code)
            except AmountError as error:
                self.add_error("other_amount", str(error))
                return None
        elif choice == OTHER:
            self.add_error("other_amount", _("Please enter an amount, for example 25."))
            return None
        elif choice:
            options = suggested(rule, frequency)
            if int(choice) >= len(options):
                self.add_error("amount", _("Please choose one of the amounts."))
                return None
            amount = options[int(choice)]
        else:
            self.add_error(
                "amount", _("Please choose an amount, or enter another amount.")
            )
            return None
        if data.get("cover_fees"):
            total = amount + fee_cover(amount=amount, currency=rule.code)
            if total > rule.maximum:
                self.add_error(
                    "cover_fees",
                    _(
                        "With the card fee added, this is more than %(high)s. Please "
                        "give a little less, or untick this box."
                    )
                    % {"high": rule.format(rule.maximum)},
                )
                return None
        return amount

    # --- What the template shows ------------------------------------------------------

    @property
    def chosen_currency(self) -> str:
        value = self["currency"].value()
        return value if value in CURRENCIES else BASE_CURRENCY

    @property
    def chosen_frequency(self) -> str:
        value = self["frequency"].value()
        return value if value in Donation.Frequency.values else "one_off"

    @property
    def amount_options(self) -> list[dict]:
        """Each suggested-amount radio with its amount in every currency and
        frequency; CSS shows the one matching the donor's choices."""
        radios = list(self["amount"])
        options = []
        for index, radio in enumerate(radios[:TIERS]):
            labels = []
            for code, rule in CURRENCIES.items():
                for frequency in Donation.Frequency.values:
                    amounts = suggested(rule, frequency)
                    if index < len(amounts):
                        labels.append(
                            {
                                "currency": code,
                                "frequency": frequency,
                                "text": rule.format(amounts[index]),
                                "chosen": code == self.chosen_currency
                                and frequency == self.chosen_frequency,
                            }
                        )
            options.append({"radio": radio, "labels": labels})
        return options

    @property
    def other_radio(self):
        return list(self["amount"])[-1]

    @property
    def currency_symbols(self) -> list[dict]:
        return [
            {
                "currency": code,
                "text": rule.symbol,
                "chosen": code == self.chosen_currency,
            }
            for code, rule in CURRENCIES.items()
        ]

    @property
    def fee_examples(self) -> list[dict]:
        """For each currency, what covering the fee adds to a typical gift."""
        percent = settings.DONATION_FEE_SHARE
        examples = []
        for code, rule in CURRENCIES.items():
            amount = rule.suggested_one_off[1]
            examples.append(
                {
                    "currency": code,
                    "chosen": code == self.chosen_currency,
                    "text": gettext(
                        "About %(percent)s%%: %(fee)s more on a gift of %(amount)s."
                    )
                    % {
                        "percent": f"{percent * 100:g}",
                        "fee": rule.format(fee_cover(amount=amount, currency=code)),
                        "amount": rule.format(amount),
                    },
                }
            )
        return examples

    @property
    def designation_is_fixed(self) -> bool:
        return len(self.fields["designation"].choices) == 1
