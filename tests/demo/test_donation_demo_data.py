"""The demo donations that `load_demo_data` builds: about a hundred and fifty invented
gifts in five currencies, posted to a balanced ledger through the same path as
Stripe's, with no donor's address anywhere; campaigns show real progress; and a
second run posts nothing new."""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.core.management import call_command
from django.db.models import Count, Sum
from django.test.utils import override_settings

from campaigns.choices import CampaignStatus
from campaigns.models import CampaignPage
from campaigns.selectors import campaign_progress
from donations import demo
from donations.ledger.services import balance, dispute_fees_account, fund_raised
from donations.models import (
    Account,
    Designation,
    Donation,
    LedgerLeg,
    LedgerTransaction,
    Subscription,
)
from prisoners.models import PrisonerPage

pytestmark = pytest.mark.django_db


def demo_gifts():
    return Donation.objects.filter(charge_id__startswith="demo_ch_") | (
        Donation.objects.filter(invoice_id__startswith="demo_in_")
    )


def snapshot():
    return {
        "transactions": LedgerTransaction.objects.count(),
        "legs": LedgerLeg.objects.count(),
        "donations": Donation.objects.count(),
        "subscriptions": Subscription.objects.count(),
        "balances": dict(
            LedgerLeg.objects.values_list("account__code")
            .annotate(total=Sum("amount"))
            .order_by("account__code")
        ),
    }


def test_about_150_gifts_in_five_currencies_with_no_donor_data(demo_data):
    gifts = demo_gifts()
    assert 130 <= gifts.count() <= 200
    assert set(gifts.values_list("currency", flat=True)) == {
        "EUR",
        "USD",
        "GBP",
        "PLN",
        "UAH",
    }
    assert set(gifts.values_list("frequency", flat=True)) == {
        Donation.Frequency.ONE_OFF,
        Donation.Frequency.MONTHLY,
    }
    assert set(gifts.values_list("designation", flat=True)) == set(Designation.values)
    assert not gifts.exclude(email="").exists()
    assert not gifts.exclude(public_name="").exists()
    assert not gifts.filter(show_name=True).exists()
    assert not gifts.filter(erased_at=None).exists()
    assert not gifts.exclude(customer_id="").exists()


def test_gifts_lie_within_the_history_and_are_designated_to_demo_pages(demo_data):
    gifts = demo_gifts().exclude(status=Donation.Status.FAILED)
    assert not gifts.filter(paid_at__gt=demo.ANCHOR).exists()
    recent = gifts.filter(paid_at__gte=demo.ANCHOR - demo.HISTORY).count()
    assert recent >= 0.9 * gifts.count()
    campaign_keys = set(CampaignPage.objects.values_list("translation_key", flat=True))
    person_keys = set(PrisonerPage.objects.values_list("translation_key", flat=True))
    for designation, keys in (
        (Designation.CAMPAIGN, campaign_keys),
        (Designation.CASE, person_keys),
    ):
        used = set(
            gifts.filter(designation=designation).values_list("subject_key", flat=True)
        )
        assert used and used <= keys
    assert (
        not gifts.filter(designation=Designation.GENERAL)
        .exclude(subject_key=None)
        .exists()
    )


def test_every_paid_gift_is_posted_once_with_a_stripe_like_fee(demo_data):
    for gift in demo_gifts().exclude(status=Donation.Status.FAILED):
        [charge] = [
            t
            for t in gift.ledger_transactions.all()
            if t.description.startswith("charge")
        ]
        fund_leg = charge.legs.get(account__kind=Account.Kind.FUND)
        assert -fund_leg.amount == gift.settled_amount
        expected_fee = (
            int(
                (Decimal(gift.settled_amount) * Decimal("0.015")).quantize(
                    Decimal(1), ROUND_HALF_UP
                )
            )
            + 25
        )
        assert gift.fee_amount == expected_fee
        assert charge.legs.get(account__kind=Account.Kind.FEES).amount == expected_fee
        assert charge.cause_key.startswith("stripe:demo_txn_")
        if gift.currency == "EUR":
            assert gift.settled_amount == gift.amount
        else:  # a plausible exchange rate
            rate = gift.settled_amount / gift.amount
            low, high = {
                "USD": (0.8, 1.0),
                "GBP": (1.1, 1.25),
                "PLN": (0.2, 0.26),
                "UAH": (0.019, 0.025),
            }[gift.currency]
            assert low <= rate <= high, (gift.currency, rate)
    assert (
        not demo_gifts()
        .filter(status=Donation.Status.FAILED, ledger_transactions__isnull=False)
        .exists()
    )


def test_refunds_and_a_lost_dispute_leave_consistent_figures(demo_data):
    gifts = demo_gifts()
    refunded = gifts.get(status=Donation.Status.REFUNDED)
    assert (
        sum(
            leg.amount
            for leg in LedgerLeg.objects.filter(
                transaction__donation=refunded, account__kind=Account.Kind.FUND
            )
        )
        == 0
    )  # all given back
    partly = gifts.get(status=Donation.Status.PARTIALLY_REFUNDED)
    kept = -sum(
        LedgerLeg.objects.filter(
            transaction__donation=partly, account__kind=Account.Kind.FUND
        ).values_list("amount", flat=True)
    )
    assert 0 < kept < partly.settled_amount
    disputed = gifts.get(status=Donation.Status.DISPUTED)
    dispute = disputed.ledger_transactions.get(description__contains="dispute")
    assert dispute.legs.get(account__kind=Account.Kind.DISPUTE_FEES).amount == 1500
    assert dispute.legs.get(account__kind=Account.Kind.FUND).amount == (
        disputed.settled_amount
    )
    # The fund the disputed gift went to bears the dispute fee.
    assert kind_total(Account.Kind.DISPUTE_FEES) == 1500
    fund = dispute.legs.get(account__kind=Account.Kind.FUND).account
    assert balance(dispute_fees_account(fund=fund)) == 1500


def kind_total(kind: str) -> int:
    """The balance of every account of a kind: each fund bears its own fees."""
    return LedgerLeg.objects.filter(account__kind=kind).aggregate(total=Sum("amount"))[
        "total"
    ]


def test_the_ledger_balances(demo_data):
    unbalanced = (
        LedgerTransaction.objects.annotate(total=Sum("legs__amount"))
        .exclude(total=0)
        .count()
    )
    assert unbalanced == 0
    assert LedgerLeg.objects.aggregate(total=Sum("amount"))["total"] == 0
    paid = demo_gifts().exclude(status=Donation.Status.FAILED)
    settled = paid.aggregate(total=Sum("settled_amount"))["total"]
    fees = paid.aggregate(total=Sum("fee_amount"))["total"]
    clearing = Account.objects.get(kind=Account.Kind.CLEARING)
    assert kind_total(Account.Kind.FEES) == fees
    refunds_and_disputes = sum(
        leg.amount
        for leg in LedgerLeg.objects.filter(
            account__kind=Account.Kind.FUND,
            amount__gt=0,
            transaction__cause_key__startswith="stripe:",
        )
    )
    assert balance(clearing) == settled - fees - refunds_and_disputes - 1500


def test_monthly_gifts_have_several_months_each(demo_data):
    subscriptions = Subscription.objects.filter(stripe_id__startswith="demo_sub_")
    assert subscriptions.count() >= 3
    months = subscriptions.annotate(n=Count("donations"))
    assert all(s.n >= 6 for s in months)
    assert {"active", "canceled"} <= set(subscriptions.values_list("status", flat=True))
    assert not subscriptions.exclude(email="").exists()
    for subscription in subscriptions:
        payments = subscription.donations.order_by("paid_at", "pk")
        assert not payments.exclude(frequency=Donation.Frequency.MONTHLY).exists()
        assert {p.currency for p in payments} == {subscription.currency}
        last_paid = payments.exclude(paid_at=None).last()
        assert last_paid.amount == subscription.amount
        dates = [p.paid_at for p in payments if p.paid_at]
        gaps = {(b - a).days for a, b in zip(dates, dates[1:], strict=False)}
        assert gaps and all(27 <= gap <= 32 for gap in gaps)


def test_every_demo_campaign_shows_real_progress_in_every_language(demo_data):
    campaigns = CampaignPage.objects.live()
    assert campaigns.count() >= 15
    for campaign in campaigns:
        progress = campaign_progress(campaign)
        assert progress.raised > 0, campaign.slug
        assert 0 < progress.percent <= 100
        if campaign.status == CampaignStatus.WON:
            assert progress.raised >= progress.goal
    total = sum(
        fund_raised(fund_type=Account.FundType.CAMPAIGN, subject_key=key)
        for key in set(campaigns.values_list("translation_key", flat=True))
    )
    assert total == sum(
        -leg
        for leg in LedgerLeg.objects.filter(
            account__fund_type=Account.FundType.CAMPAIGN,
            account__kind=Account.Kind.FUND,
            transaction__cause_key__startswith="stripe:",
        ).values_list("amount", flat=True)
    )


def test_a_campaign_page_shows_the_raised_amount(demo_data, client):
    campaign = CampaignPage.objects.live().get(
        slug="no-extradition-for-dissent", locale__language_code="en"
    )
    progress = campaign_progress(campaign)
    html = client.get(campaign.url).content.decode()
    shown = re.search(r"Raised so far: €([\d\s,.\u202f\xa0]+) of €", html).group(1)
    assert int(re.sub(r"\D", "", shown)) == progress.raised_units > 0


def test_the_history_is_the_same_every_time():
    first, second = demo.demo_history(), demo.demo_history()
    assert [(g.n, g.when, g.amount, g.currency, g.balance) for g in first] == [
        (g.n, g.when, g.amount, g.currency, g.balance) for g in second
    ]
    ids = [bt["id"] for g in first for bt in g.balance]
    assert len(ids) == len(set(ids))
    assert all(g.when < demo.ANCHOR for g in first)
    assert max(g.when for g in first) > demo.ANCHOR - datetime.timedelta(days=60)


def test_loading_again_posts_nothing_new(demo_data):
    from home.models import HomePage

    before = snapshot()
    with override_settings(DEBUG=True):
        call_command("load_demo_data", "--quiet-accounts")
    assert snapshot() == before
    homes = {
        h.locale.language_code: h for h in HomePage.objects.select_related("locale")
    }
    counts = demo.load_donations(homes)
    assert counts["posted"] == 0
    assert counts["donations"] == demo_gifts().count()
    assert snapshot() == before
