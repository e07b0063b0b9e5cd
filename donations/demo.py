"""Demo donations: about a hundred and fifty invented gifts, one-off and monthly, in
five currencies, to the demo campaigns, the demo people's defence and the general
fund, with a full refund, a partial refund and a lost dispute.

Every gift is posted to the fund ledger exactly as Stripe's would be, through
`stripe_sync.post_balance_transaction`, with invented balance transactions
("demo_txn_<n>") settled in euros at plausible rates, less Stripe's usual fee. So
the campaigns' progress, the funds' balances and the Board's reports show real,
consistent figures.

No demo donor has an address or a name: every gift is stored as erased. The history
is computed from a fixed anchor date and a fixed seed, without the database, so
`load_donations()` is idempotent: gifts are found by their fixed public id, monthly
gifts by their fixed Stripe id, and postings by their balance transaction's id.
"""

import datetime
import random
import uuid
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Sum

from campaigns.demo import CAMPAIGNS
from donations.giving.services import fee_cover
from donations.ledger.money import BASE_CURRENCY, CURRENCIES
from donations.ledger.services import fund_raised
from donations.models import (
    Account,
    Designation,
    Donation,
    LedgerLeg,
    LedgerTransaction,
    Subscription,
)
from donations.stripe.sync import post_balance_transaction

# The demo history ends here; reruns compute exactly the same gifts.
ANCHOR = datetime.datetime(2026, 11, 1, 12, 0, tzinfo=datetime.UTC)
HISTORY = datetime.timedelta(days=548)  # eighteen months
SEED = "solidarity-demo-donations"
_NAMESPACE = uuid.UUID("2f6a1c1e-8a4b-4f7e-9d55-6b3f0c2d9e11")

# Euros for one unit of each currency, roughly as in 2025–26; each gift's rate
# drifts a little around it.
RATES = {
    "EUR": Decimal("1"),
    "USD": Decimal("0.8950"),
    "GBP": Decimal("1.1680"),
    "PLN": Decimal("0.2345"),
    "UAH": Decimal("0.0218"),
}
FEE_SHARE, FEE_FIXED = Decimal("0.015"), 25  # Stripe: 1.5% + €0.25
DISPUTE_FEE = 1500  # €15
CURRENCY_MIX = {"EUR": 38, "USD": 14, "GBP": 12, "PLN": 20, "UAH": 16}
LANGUAGES = {
    "EUR": ("en", "uk", "ru", "en"),
    "USD": ("en",),
    "GBP": ("en",),
    "PLN": ("uk", "uk", "ru", "en"),
    "UAH": ("uk",),
}

# Campaign slug: (regular one-off gifts, share of its goal raised in all, percent).
CAMPAIGN_PLAN = {
    "no-extradition-for-dissent": (16, 38),
    "faith-is-not-terrorism": (8, 24),
    "journalism-is-not-a-crime": (8, 46),
    "bring-the-civilians-home": (10, 17),
    "iryna-bondar-is-free": (7, 104),  # won in 2019: its gifts are older
    "letters-to-belarus": (8, 86),
}
# Demo people whose defence gets gifts of its own (all detained now).
CASE_PEOPLE = (
    "serhii-petrenko",
    "olena-kovalchuk",
    "aider-memetov",
    "enver-kurtumerov",
    "zarema-bekirova",
    "oksana-lysenko",
    "dmytro-oliinyk",
    "taras-hnatiuk",
    "andrei-shyla",
    "kateryna-pavliuk",
)
CASE_GIFTS, GENERAL_GIFTS = 16, 12


@dataclass(frozen=True)
class Monthly:
    currency: str
    amount: int
    designation: str
    subject: str | None  # a slug
    start: datetime.date
    payments: int
    language: str
    raised_to: tuple[int, int] | None = None  # (from payment n, new amount)
    failed_last: bool = False
    cancelled: datetime.date | None = None


MONTHLY = (
    Monthly("EUR", 1000, Designation.GENERAL, None, datetime.date(2025, 8, 4), 15,
            "en", raised_to=(10, 1500)),
    Monthly("GBP", 500, Designation.CASE, "serhii-petrenko",
            datetime.date(2026, 1, 3), 10, "en"),
    Monthly("PLN", 4000, Designation.CAMPAIGN, "no-extradition-for-dissent",
            datetime.date(2025, 12, 15), 11, "uk"),
    Monthly("USD", 2500, Designation.GENERAL, None, datetime.date(2025, 6, 20), 7,
            "en", failed_last=True, cancelled=datetime.date(2026, 1, 26)),
    Monthly("UAH", 50000, Designation.CASE, "olena-kovalchuk",
            datetime.date(2026, 4, 1), 7, "uk"),
    Monthly("EUR", 1500, Designation.CAMPAIGN, "letters-to-belarus",
            datetime.date(2026, 1, 5), 9, "ru", cancelled=datetime.date(2026, 10, 1)),
)  # fmt: skip


@dataclass
class Gift:
    """One invented payment and what Stripe's balance would show for it."""

    when: datetime.datetime
    currency: str
    amount: int
    designation: str
    subject: str | None
    language: str
    cover_fees: bool = False
    monthly: int | None = None  # index in MONTHLY
    failed: bool = False
    refund: tuple[int, int] | None = None  # (days later, amount in `currency`)
    dispute_days: int | None = None
    rate: Decimal = Decimal("1")
    n: int = 0
    balance: list[dict] = field(default_factory=list)

    @property
    def settled(self) -> int:
        return _to_base(self.amount, self.rate)

    @property
    def fee(self) -> int:
        return _fee(self.settled)

    @property
    def status(self) -> str:
        if self.failed:
            return Donation.Status.FAILED
        if self.dispute_days is not None:
            return Donation.Status.DISPUTED
        if self.refund:
            full = self.refund[1] >= self.amount
            return (
                Donation.Status.REFUNDED if full else Donation.Status.PARTIALLY_REFUNDED
            )
        return Donation.Status.PAID

    @property
    def raised(self) -> int:
        """What it leaves in its fund, in euro cents."""
        return sum(bt["amount"] for bt in self.balance)


def _to_base(amount: int, rate: Decimal) -> int:
    return int((Decimal(amount) * rate).quantize(Decimal(1), ROUND_HALF_UP))


def _fee(settled: int) -> int:
    return int((settled * FEE_SHARE).quantize(Decimal(1), ROUND_HALF_UP)) + FEE_FIXED


def _add_months(day: datetime.date, months: int) -> datetime.date:
    month = day.month - 1 + months
    return day.replace(year=day.year + month // 12, month=month % 12 + 1)


def _at(day: datetime.date, rng: random.Random) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(rng.randrange(7, 23), rng.randrange(60)), datetime.UTC
    )


def _campaign_window(campaign) -> tuple[datetime.date, datetime.date]:
    first = min(datetime.date.fromisoformat(day) for day, _, _ in campaign.updates)
    end = min(datetime.date.fromisoformat(campaign.ends_on), ANCHOR.date())
    return first - datetime.timedelta(days=45), end


def _one_off(rng, *, day, designation, subject) -> Gift:
    currency = rng.choices(list(CURRENCY_MIX), weights=list(CURRENCY_MIX.values()))[0]
    rule = CURRENCIES[currency]
    roll = rng.random()
    if roll < 0.72:
        amount = rng.choice(rule.suggested_one_off)
    elif roll < 0.95:  # a round amount of the donor's own
        amount = rng.choice(rule.suggested_one_off[:2]) * rng.choice((2, 3)) // 2
    else:  # a large gift
        amount = rule.suggested_one_off[-1] * rng.choice((3, 5))
    cover_fees = rng.random() < 0.3
    if cover_fees:
        amount += fee_cover(amount=amount, currency=currency)
    drift = Decimal(rng.randrange(-150, 151)) / 10000
    return Gift(
        when=_at(day, rng),
        currency=currency,
        amount=amount,
        designation=designation,
        subject=subject,
        language=rng.choice(LANGUAGES[currency]),
        cover_fees=cover_fees,
        rate=(RATES[currency] * (1 + drift)).quantize(Decimal("0.0001"))
        if currency != BASE_CURRENCY
        else Decimal("1"),
    )


def _monthly_gifts(rng) -> list[Gift]:
    gifts = []
    for index, plan in enumerate(MONTHLY):
        for month in range(plan.payments):
            amount = plan.amount
            if plan.raised_to and month + 1 >= plan.raised_to[0]:
                amount = plan.raised_to[1]
            gifts.append(
                Gift(
                    when=_at(_add_months(plan.start, month), rng),
                    currency=plan.currency,
                    amount=amount,
                    designation=plan.designation,
                    subject=plan.subject,
                    language=plan.language,
                    monthly=index,
                    failed=plan.failed_last and month == plan.payments - 1,
                    rate=RATES[plan.currency],
                )
            )
    return gifts


def _balance(gift: Gift, next_id) -> list[dict]:
    """The balance transactions Stripe would create for this gift."""
    if gift.failed:
        return []
    created = int(gift.when.timestamp())
    settled, fee = gift.settled, gift.fee
    rows = [
        {
            "id": next_id(),
            "type": "charge",
            "reporting_category": "charge",
            "created": created,
            "amount": settled,
            "fee": fee,
            "net": settled - fee,
        }
    ]
    if gift.refund:
        days, refunded = gift.refund
        back = settled if refunded >= gift.amount else _to_base(refunded, gift.rate)
        rows.append(
            {
                "id": next_id(),
                "type": "refund",
                "reporting_category": "refund",
                "created": created + days * 86400,
                "amount": -back,
                "fee": 0,  # Stripe keeps its fee on a refund
                "net": -back,
            }
        )
    if gift.dispute_days is not None:
        rows.append(
            {
                "id": next_id(),
                "type": "adjustment",
                "reporting_category": "dispute",
                "source": f"du_demo_{gift.n}",
                "created": created + gift.dispute_days * 86400,
                "amount": -settled,
                "fee": DISPUTE_FEE,
                "net": -settled - DISPUTE_FEE,
            }
        )
    return rows


def demo_history() -> list[Gift]:
    """Every demo gift, in a fixed order with its balance transactions. Computed
    from the constants above only, so every run gives the same history."""
    rng = random.Random(SEED)
    gifts = _monthly_gifts(rng)
    history_start = (ANCHOR - HISTORY).date()
    last_day = (ANCHOR - datetime.timedelta(days=1)).date()
    for campaign in CAMPAIGNS:
        count, _ = CAMPAIGN_PLAN.get(campaign.slug, (0, 0))
        start, end = _campaign_window(campaign)
        if end > history_start:  # a campaign of the last eighteen months
            start = max(start, history_start)
        for _ in range(count):
            day = start + datetime.timedelta(days=rng.randrange((end - start).days))
            gifts.append(
                _one_off(
                    rng,
                    day=day,
                    designation=Designation.CAMPAIGN,
                    subject=campaign.slug,
                )
            )
    for index in range(CASE_GIFTS):
        day = history_start + datetime.timedelta(
            days=rng.randrange((last_day - history_start).days)
        )
        person = CASE_PEOPLE[index % len(CASE_PEOPLE)]
        gifts.append(
            _one_off(rng, day=day, designation=Designation.CASE, subject=person)
        )
    for _ in range(GENERAL_GIFTS):
        day = history_start + datetime.timedelta(
            days=rng.randrange((last_day - history_start).days)
        )
        gifts.append(
            _one_off(rng, day=day, designation=Designation.GENERAL, subject=None)
        )
    # A gift given twice by mistake and refunded in full, half of one refunded, and
    # one made with a stolen card: its owner disputed it, and the dispute was lost.
    gifts += [
        Gift(
            when=ANCHOR - datetime.timedelta(days=203, hours=5),
            currency="EUR",
            amount=5000,
            designation=Designation.GENERAL,
            subject=None,
            language="uk",
            refund=(2, 5000),
        ),
        Gift(
            when=ANCHOR - datetime.timedelta(days=118, hours=2),
            currency="USD",
            amount=10000,
            designation=Designation.CASE,
            subject="aider-memetov",
            language="en",
            refund=(6, 5000),
            rate=Decimal("0.8610"),
        ),
        Gift(
            when=ANCHOR - datetime.timedelta(days=301, hours=9),
            currency="GBP",
            amount=3000,
            designation=Designation.GENERAL,
            subject=None,
            language="en",
            dispute_days=21,
            rate=Decimal("1.1930"),
        ),
    ]
    _number(gifts)
    # Larger gifts (a foundation, a benefit concert's takings) bring each campaign
    # to the share of its goal it has raised.
    goals = {c.slug: c for c in CAMPAIGNS}
    top_ups = []
    for slug, (_, percent) in CAMPAIGN_PLAN.items():
        campaign = goals.get(slug)
        if campaign is None:
            continue
        raised = sum(g.raised for g in gifts if g.subject == slug)
        missing = campaign.goal * percent - raised  # goal × 100 cents × percent / 100
        start, end = _campaign_window(campaign)
        if end > history_start:
            start = max(start, history_start)
        shares = (1,) if missing < 150000 else (3, 2) if missing < 400000 else (5, 3, 2)
        for share in shares:
            amount = missing * share // sum(shares) // 5000 * 5000  # whole €50s
            if amount < CURRENCIES["EUR"].minimum:
                continue
            day = start + datetime.timedelta(days=rng.randrange((end - start).days))
            top_ups.append(
                Gift(
                    when=_at(day, rng),
                    currency="EUR",
                    amount=amount,
                    designation=Designation.CAMPAIGN,
                    subject=slug,
                    language=rng.choice(LANGUAGES["EUR"]),
                )
            )
    gifts += top_ups
    _number(gifts)
    return gifts


def _number(gifts: list[Gift]) -> None:
    counter = iter(range(1, 10_000))

    def next_id() -> str:
        return f"demo_txn_{next(counter)}"

    for n, gift in enumerate(gifts, start=1):
        gift.n = n
        gift.balance = _balance(gift, next_id)


# --- Loading -----------------------------------------------------------------------


def _public_id(n: int) -> uuid.UUID:
    return uuid.uuid5(_NAMESPACE, f"demo-donation:{n}")


def _subject_keys(locale) -> dict[tuple[str, str], uuid.UUID]:
    from campaigns.models import CampaignPage
    from prisoners.models import PrisonerPage

    keys = {}
    for designation, model, slugs in (
        (Designation.CAMPAIGN, CampaignPage, list(CAMPAIGN_PLAN)),
        (Designation.CASE, PrisonerPage, list(CASE_PEOPLE)),
    ):
        for slug, key in model.objects.filter(
            locale=locale, slug__in=slugs
        ).values_list("slug", "translation_key"):
            keys[(designation, slug)] = key
    return keys


def _load_subscription(index: int, plan: Monthly, keys, gifts) -> Subscription:
    key = keys.get((plan.designation, plan.subject or ""))
    payments = [g for g in gifts if g.monthly == index]
    subscription, _ = Subscription.objects.get_or_create(
        stripe_id=f"demo_sub_{index + 1}",
        defaults={
            "customer_id": "",
            "status": "canceled" if plan.cancelled else "active",
            "currency": plan.currency,
            "amount": payments[-1].amount,
            "designation": plan.designation if key else Designation.GENERAL,
            "subject_key": key,
            "email": "",
            "language": plan.language,
            "started_at": payments[0].when,
            "cancelled_at": datetime.datetime.combine(
                plan.cancelled, datetime.time(9), datetime.UTC
            )
            if plan.cancelled
            else None,
        },
    )
    return subscription


def _load_gift(gift: Gift, keys, subscriptions) -> Donation:
    public_id = _public_id(gift.n)
    donation = Donation.objects.filter(public_id=public_id).first()
    if donation is None:
        key = keys.get((gift.designation, gift.subject or ""))
        monthly = gift.monthly is not None
        donation = Donation.objects.create(
            public_id=public_id,
            frequency=Donation.Frequency.MONTHLY
            if monthly
            else Donation.Frequency.ONE_OFF,
            currency=gift.currency,
            amount=gift.amount,
            cover_fees=gift.cover_fees,
            designation=gift.designation if key else Designation.GENERAL,
            subject_key=key,
            language=gift.language,
            status=gift.status,
            subscription=subscriptions[gift.monthly] if monthly else None,
            invoice_id=f"demo_in_{gift.n}" if monthly else None,
            charge_id="" if gift.failed else f"demo_ch_{gift.n}",
            settled_amount=None if gift.failed else gift.settled,
            fee_amount=None if gift.failed else gift.fee,
            paid_at=None if gift.failed else gift.when,
            erased_at=ANCHOR,
        )
        Donation.objects.filter(pk=donation.pk).update(
            created_at=gift.when - datetime.timedelta(minutes=3)
        )
    for bt in gift.balance:
        post_balance_transaction(bt=bt, donation=donation)
    return donation


def load_donations(homes) -> dict:
    """The demo gifts and their ledger postings. Returns counts for a message."""
    gifts = demo_history()
    with transaction.atomic():
        before = LedgerTransaction.objects.count()
        keys = _subject_keys(homes["uk"].locale)
        subscriptions = {
            index: _load_subscription(index, plan, keys, gifts)
            for index, plan in enumerate(MONTHLY)
        }
        for gift in gifts:
            _load_gift(gift, keys, subscriptions)
        posted = LedgerTransaction.objects.count() - before
    public_ids = [_public_id(g.n) for g in gifts]
    demo_legs = LedgerLeg.objects.filter(
        transaction__cause_key__startswith="stripe:demo_txn_",
        account__kind=Account.Kind.FUND,
    )
    return {
        "donations": Donation.objects.filter(public_id__in=public_ids).count(),
        "monthly": Subscription.objects.filter(
            stripe_id__startswith="demo_sub_"
        ).count(),
        "posted": posted,
        "raised": -(demo_legs.aggregate(total=Sum("amount"))["total"] or 0),
        "campaigns_raised": {
            slug: fund_raised(fund_type=Account.FundType.CAMPAIGN, subject_key=key)
            for (designation, slug), key in keys.items()
            if designation == Designation.CAMPAIGN
        },
    }
