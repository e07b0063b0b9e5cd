"""Public transparency: the disclosure rule, the figures on profiles, campaigns and
the network page equal to the ledger under that rule, regions hidden where a
profile hides them, the CSV equal to the page, the footer link, and the queries."""

import csv
import datetime
import html
import io
import re
from contextlib import contextmanager
from types import SimpleNamespace
from unittest import mock

import pytest
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from campaigns.models import CampaignPrisoner
from donations.ledger import services as ledger
from donations.ledger.money import format_money
from donations.models import Account, Designation, Donation, Flow, LedgerLeg, Payee
from donations.spending.services import (
    allocation_approve,
    allocation_draft,
    disbursement_approve,
    disbursement_draft,
    disbursement_reversal_draft,
)
from donations.transparency.selectors import (
    GiftMonth,
    RaisedFigure,
    campaign_money,
    case_money,
    disclose_gifts,
    network_money,
    public_cutoff,
)
from tests.conftest import add_profile, make_user
from tests.factories import CampaignPageFactory, RegionFactory
from tests.gifts import give, refund

pytestmark = pytest.mark.django_db


# --- Time -----------------------------------------------------------------------------


def month_start(months_ago: int) -> datetime.date:
    first = public_cutoff()
    month = first.month - months_ago
    year = first.year + (month - 1) // 12
    return datetime.date(year, (month - 1) % 12 + 1, 1)


def at(months_ago: int, day: int = 10) -> datetime.datetime:
    """Noon (UTC) on `day` of the month `months_ago` before this one."""
    return datetime.datetime.combine(
        month_start(months_ago).replace(day=day), datetime.time(12), datetime.UTC
    )


@contextmanager
def clock(moment: datetime.datetime):
    """The Board acts at `moment` (approvals post at the time they are made)."""
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def next_month() -> datetime.date:
    """A day in the month after this one: what visitors will see then."""
    return public_cutoff() + datetime.timedelta(days=40)


# --- The rule -------------------------------------------------------------------------

CUTOFF = datetime.date(2026, 11, 1)
SEPTEMBER, OCTOBER, NOVEMBER = (datetime.date(2026, m, 1) for m in (9, 10, 11))


def one_offs(month, *amounts, fee=0):
    return GiftMonth(
        month=month,
        one_off_gifts=len(amounts),
        gifts=sum(amounts),
        fees=fee * len(amounts),
    )


def test_a_single_donor_this_month_is_invisible():
    figure = disclose_gifts([one_offs(NOVEMBER, 12_345)], cutoff=CUTOFF)

    assert figure == RaisedFigure()
    assert figure.raised == 0


def test_three_gifts_in_a_closed_month_are_shown_rounded_down_to_tens_of_euros():
    figure = disclose_gifts([one_offs(OCTOBER, 5000, 3000, 2599)], cutoff=CUTOFF)

    assert figure.gifts == 10_599
    assert figure.raised == 10_000  # €105.99 → €100
    assert figure.through == OCTOBER


def test_last_month_is_shown_and_this_month_is_not():
    months = [one_offs(OCTOBER, 2000, 2000, 2000), one_offs(NOVEMBER, 9000, 9000, 9000)]

    assert disclose_gifts(months, cutoff=CUTOFF).raised == 6000
    december = datetime.date(2026, 12, 1)
    assert disclose_gifts(months, cutoff=december).raised == 33_000


def test_a_month_with_fewer_than_three_gifts_waits_and_joins_the_next():
    months = [
        one_offs(SEPTEMBER, 3000, 3000, 3000),
        one_offs(OCTOBER, 7000),  # a single donor: waits
    ]
    assert disclose_gifts(months, cutoff=CUTOFF).raised == 9000
    assert disclose_gifts(months, cutoff=CUTOFF).through == SEPTEMBER

    months.append(one_offs(NOVEMBER, 1000, 1000))
    december = datetime.date(2026, 12, 1)
    figure = disclose_gifts(months, cutoff=december)
    assert figure.raised == 18_000  # October's gift shows only with November's two
    assert figure.through == NOVEMBER


def test_one_monthly_donor_never_fills_a_batch_however_many_months_they_give():
    months = [
        GiftMonth(month=datetime.date(2026, m, 1), monthly_gifts=1, gifts=2500)
        for m in range(1, 11)
    ]
    assert disclose_gifts(months, cutoff=CUTOFF).raised == 0

    # Three monthly donors in one month do.
    months[-1] = GiftMonth(month=OCTOBER, monthly_gifts=3, gifts=7500)
    assert disclose_gifts(months, cutoff=CUTOFF).raised == 30_000


def test_refunds_and_fees_are_published_with_their_batch_only():
    months = [
        one_offs(SEPTEMBER, 4000, 4000, 4000, fee=100),
        GiftMonth(month=OCTOBER, one_off_gifts=1, gifts=5000, refunds=4000, fees=110),
    ]
    figure = disclose_gifts(months, cutoff=CUTOFF)

    assert (figure.gifts, figure.refunds, figure.fees) == (12_000, 0, 300)
    assert figure.raised == 12_000

    months.append(one_offs(OCTOBER, 1000, 1000))
    figure = disclose_gifts(months, cutoff=CUTOFF)
    assert (figure.gifts, figure.refunds, figure.fees) == (19_000, 4000, 410)
    assert figure.raised == 15_000


# --- A small network ------------------------------------------------------------------


@pytest.fixture
def board(django_user_model):
    return SimpleNamespace(
        alice=make_user(django_user_model, email="alice@example.org", group="Board"),
        bohdan=make_user(django_user_model, email="bohdan@example.org", group="Board"),
    )


@pytest.fixture
def payee():
    return Payee.objects.create(name="Bureau Fictional & Partners", kind="lawyer")


def allocate(board, *, fund, case, category, amount, when):
    with clock(when):
        entry = allocation_draft(
            fund=fund,
            case=case,
            category=category,
            amount=amount,
            purpose="For the appeal",
            drafted_by=board.alice,
        )
        return allocation_approve(
            allocation=entry, approver=board.bohdan, approve_overdraft=True
        )


def pay(board, allocation, payee, *, amount, paid_on, **extra):
    entry = disbursement_draft(
        allocation=allocation,
        payee=payee,
        paid_on=paid_on,
        amount=amount,
        drafted_by=board.alice,
        **extra,
    )
    return disbursement_approve(disbursement=entry, approver=board.bohdan)


def fund_of(page, fund_type):
    return ledger.fund_account(fund_type=fund_type, subject_key=page.translation_key)


def case_gift(case, amount, when, fee=100):
    return give(
        amount=amount,
        fee=fee,
        designation=Designation.CASE,
        subject_key=case.translation_key,
        when=when,
    )


@pytest.fixture
def world(prisoner_index, campaign_index, board, payee):
    """Two months ago: general gifts, three gifts to a case and three to a
    campaign, counsel allocated. Last month: one more gift to the case (it waits),
    payments, a payment partly reversed. This month: a gift and a payment nobody
    may see yet."""
    crimea = RegionFactory(name="Crimea", slug="crimea")
    case = add_profile(prisoner_index, title="Mykola Testenko", home_region=crimea)
    campaign = CampaignPageFactory(parent=campaign_index, title="Free Mykola")
    CampaignPrisoner.objects.create(campaign=campaign, prisoner=case)
    campaign.save_revision().publish()
    general = ledger.fund_account(fund_type=Account.FundType.GENERAL)

    for _ in range(3):
        give(amount=200_000, fee=2000, when=at(3))
    for amount in (5000, 3000, 2500):
        case_gift(case, amount, at(2))
    case_gift(case, 4000, at(1))  # waits for two more
    case_gift(case, 7000, timezone.now())  # this month: invisible
    for _ in range(3):
        give(
            amount=2000,
            fee=50,
            designation=Designation.CAMPAIGN,
            subject_key=campaign.translation_key,
            when=at(2),
        )

    counsel = allocate(
        board,
        fund=general,
        case=case,
        category="counsel",
        amount=50_000,
        when=at(2, day=15),
    )
    expert = allocate(
        board,
        fund=fund_of(campaign, Account.FundType.CAMPAIGN),
        case=case,
        category="expert",
        amount=4000,
        when=at(2, day=20),
    )
    travel = allocate(
        board,
        fund=fund_of(case, Account.FundType.CASE),
        case=case,
        category="travel",
        amount=8000,
        when=at(1, day=12),
    )
    paid = pay(board, counsel, payee, amount=30_000, paid_on=at(1, day=20).date())
    with clock(at(1, day=28)):
        reversal = disbursement_reversal_draft(
            disbursement=paid,
            amount=2000,
            reason="Returned: the hearing was postponed",
            drafted_by=board.alice,
        )
        disbursement_approve(disbursement=reversal, approver=board.bohdan)
    pay(board, travel, payee, amount=5000, paid_on=at(1, day=25).date())
    pay(board, expert, payee, amount=4000, paid_on=at(1, day=5).date())
    pay(board, counsel, payee, amount=10_000, paid_on=timezone.localdate())
    return SimpleNamespace(
        case=case, campaign=campaign, crimea=crimea, board=board, payee=payee
    )


# --- Profiles and campaigns -----------------------------------------------------------


def test_a_case_shows_what_its_fund_raised_and_what_was_allocated_and_paid(world):
    money = case_money(case_key=world.case.translation_key)

    assert money.as_of == public_cutoff() - datetime.timedelta(days=1)
    assert money.raised == 10_000  # €105 from three gifts → €100; the rest waits
    assert money.allocated == 50_000 + 4000 + 8000
    assert money.paid == 28_000 + 4000 + 5000  # this month's €100 is not counted
    assert {
        line.category: (line.allocated, line.paid) for line in money.categories
    } == {
        "counsel": (50_000, 28_000),
        "expert": (4000, 4000),
        "travel": (8000, 5000),
    }
    assert [(w.month, w.category, w.amount) for w in money.where] == [
        (month_start(1), "counsel", 28_000),  # net of the reversal
        (month_start(1), "expert", 4000),
        (month_start(1), "travel", 5000),
    ]


def test_a_case_figures_equal_the_ledgers_legs_under_the_rule(world):
    key = world.case.translation_key
    before = datetime.datetime.combine(public_cutoff(), datetime.time(), datetime.UTC)
    legs = LedgerLeg.objects.filter(transaction__occurred_at__lt=before)
    committed = legs.filter(
        account__kind=Account.Kind.COMMITTED, account__subject_key=key
    )
    paid = committed.filter(transaction__flow=Flow.DISBURSEMENT).aggregate(
        t=Sum("amount")
    )["t"]
    allocated = -committed.filter(transaction__flow=Flow.ALLOCATION).aggregate(
        t=Sum("amount")
    )["t"]
    # The case fund's gifts, month by month, from the legs (not the roll-up).
    gifts = legs.filter(
        account__kind=Account.Kind.FUND,
        account__subject_key=key,
        transaction__flow__in=[Flow.ONE_OFF, Flow.MONTHLY],
    )
    months = {}
    for leg in gifts.select_related("transaction"):
        month = leg.transaction.occurred_at.date().replace(day=1)
        row = months.setdefault(month, GiftMonth(month=month))
        row.gifts += -leg.amount
        row.one_off_gifts += 1
    expected = disclose_gifts(months.values(), cutoff=public_cutoff())

    money = case_money(case_key=key)
    assert (money.raised, money.allocated, money.paid) == (
        expected.raised,
        allocated,
        paid,
    )
    assert ledger.rollup_mismatches() == []


def test_next_month_last_months_waiting_gift_still_waits_until_a_third_comes(world):
    key = world.case.translation_key
    # Next month, October's single gift and this month's single gift make two.
    assert case_money(case_key=key, today=next_month()).raised == 10_000

    case_gift(world.case, 1500, timezone.now())
    money = case_money(case_key=key, today=next_month())
    assert money.raised == 23_000  # €105 + €40 + €70 + €15, fees not deducted
    assert money.raised_figure.fees == 6 * 100
    # And this month's payment is counted then.
    assert money.paid == 37_000 + 10_000


def test_a_campaign_shows_its_fund_and_what_was_paid_from_it(world):
    money = campaign_money(campaign_key=world.campaign.translation_key)

    assert money.raised == 6000
    assert money.allocated == 4000
    assert money.paid == 4000
    assert [(c.category, c.allocated, c.paid) for c in money.categories] == [
        ("expert", 4000, 4000)
    ]
    assert [(w.month, w.category, w.amount) for w in money.where] == [
        (month_start(1), "expert", 4000)
    ]


def test_the_profile_and_the_campaign_pages_show_their_blocks(client, world):
    page = client.get(world.case.url).content.decode()
    assert "Where the money for this defence went" in page
    assert format_money(10_000) in page
    assert format_money(28_000) in page
    assert "How we count" in page

    page = html.unescape(client.get(world.campaign.url).content.decode())
    assert "Where this campaign's money went" in page
    assert format_money(4000) in page


def test_a_profile_with_no_money_and_no_budget_shows_no_block(client, prisoner_index):
    quiet = add_profile(prisoner_index, title="Quiet Case")
    page = client.get(quiet.url).content.decode()
    assert 'id="money"' not in page
    assert "/en/transparency/" in page  # the footer still links to the page


def test_a_refund_lowers_what_is_raised(world):
    gift = Donation.objects.filter(subject_key=world.case.translation_key).first()
    refund(gift, amount=5000, when=at(1, day=3))
    # October now holds a refund and a single gift: both wait.
    key = world.case.translation_key
    assert case_money(case_key=key).raised == 10_000
    for _ in range(2):
        case_gift(world.case, 1000, at(1, day=4))
    # €105 + €40 + €20, less €50 refunded: €115 → €110.
    assert case_money(case_key=key).raised == 11_000


# --- The network ----------------------------------------------------------------------


def test_network_figures_equal_the_ledger_under_the_rule(world):
    money = network_money()
    before = datetime.datetime.combine(public_cutoff(), datetime.time(), datetime.UTC)
    legs = LedgerLeg.objects.filter(transaction__occurred_at__lt=before)

    def total(**filters):
        return legs.filter(**filters).aggregate(t=Sum("amount"))["t"] or 0

    paid = total(
        account__kind=Account.Kind.COMMITTED, transaction__flow=Flow.DISBURSEMENT
    )
    allocated = -total(
        account__kind=Account.Kind.COMMITTED, transaction__flow=Flow.ALLOCATION
    )
    assert money.paid == paid == 37_000
    assert money.allocated == allocated == 62_000
    assert sum(s.amount for s in money.paid_by_category) == paid
    assert sum(s.amount for s in money.paid_by_region) == paid
    assert {s.key: s.amount for s in money.raised_by_fund} == {
        "general": 600_000,
        "campaign": 6000,
        "case": 10_000,
    }
    assert money.raised == 616_000
    # Fees of published gifts only: 3 × €20 + 3 × €1 + 3 × €0.50 = €64.50 → €60.
    assert money.fees == 6000
    assert money.refunds == 0
    assert money.cases_percent == round(37_000 * 100 / (37_000 + 6000))
    assert money.cases_percent + money.fees_percent == 100


def test_spending_by_region_names_a_region_only_where_the_profile_shows_it(
    world, prisoner_index, payee
):
    board = world.board
    general = ledger.fund_account(fund_type=Account.FundType.GENERAL)
    hidden = add_profile(
        prisoner_index,
        title="Hidden Region Person",
        home_region=world.crimea,
        hidden_fields=",home_region,",
    )
    gone = add_profile(
        prisoner_index, title="Unpublished Person", home_region=world.crimea
    )
    for case, amount in ((hidden, 1100), (gone, 2200)):
        entry = allocate(
            board, fund=general, case=case, category="parcels", amount=amount,
            when=at(2),
        )  # fmt: skip
        pay(board, entry, payee, amount=amount, paid_on=at(1).date())
    gone.unpublish()

    regions = {s.key: (s.label, s.amount) for s in network_money().paid_by_region}

    assert regions == {
        "crimea": ("Crimea", 37_000),
        "": ("Region not disclosed", 1100 + 2200),
    }


def test_a_region_hidden_in_one_language_is_not_disclosed(world, home_pages):
    from tests.factories import PrisonerIndexPageFactory

    ukrainian = PrisonerIndexPageFactory(parent=home_pages["uk"], slug="v-yazni")
    add_profile(
        ukrainian,
        title="Микола Тестенко",
        translation_key=world.case.translation_key,
        home_region=world.crimea,
        hidden_fields=",home_region,",
    )

    regions = {s.key: s.amount for s in network_money().paid_by_region}
    assert regions == {"": 37_000}


def test_the_network_page_shows_the_figures_and_names_no_person(client, world):
    response = client.get("/en/transparency/")
    page = response.content.decode()

    assert response.status_code == 200
    for amount in (616_000, 37_000, 62_000, 6000):
        assert format_money(amount) in page, amount
    assert "Crimea" in page
    assert "Mykola Testenko" not in page
    assert "Free Mykola" not in page
    assert 'id="how-we-count"' in page
    assert '<th scope="col"' in page and "<caption>" in page
    assert "<script" not in page


def test_the_network_page_and_csv_answer_before_any_money_moved(client, home_pages):
    page = client.get("/en/transparency/")
    assert page.status_code == 200
    assert "Nothing to show yet." in page.content.decode()
    rows = list(
        csv.reader(
            io.StringIO(
                client.get("/en/transparency/transparency.csv").content.decode(
                    "utf-8-sig"
                )
            )
        )
    )
    assert ["raised", "total", "Raised, net of refunds", "0.00", "EUR"] in rows


def test_an_unpublished_profile_is_named_nowhere_on_the_money_pages(
    client, world, prisoner_index, payee
):
    board = world.board
    gone = add_profile(
        prisoner_index, title="Withdrawn Witness", home_region=world.crimea
    )
    world.campaign.prisoner_links.create(prisoner=gone)
    world.campaign.save_revision().publish()
    entry = allocate(
        board,
        fund=fund_of(world.campaign, Account.FundType.CAMPAIGN),
        case=gone,
        category="translation",
        amount=1000,
        when=at(2),
    )
    pay(board, entry, payee, amount=1000, paid_on=at(1).date())
    gone.unpublish()

    surfaces = {
        "network": client.get("/en/transparency/").content.decode(),
        "csv": client.get("/en/transparency/transparency.csv").content.decode(),
        "campaign": client.get(world.campaign.url).content.decode(),
        "profile": client.get(world.case.url).content.decode(),
    }
    for name, text in surfaces.items():
        assert "Withdrawn Witness" not in text, name
    # Its payment is still counted, without its name or region.
    assert format_money(1000) in surfaces["campaign"]
    assert format_money(1000) in surfaces["network"]


def test_the_csv_says_what_the_page_says(client, world):
    page = html.unescape(client.get("/en/transparency/").content.decode())
    response = client.get("/en/transparency/transparency.csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment; filename=")
    assert rows[0] == ["section", "key", "label", "value", "unit"]
    shown = set(re.findall(r"<th scope=\"row\">(.*?)</th><td[^>]*>(.*?)</td>", page))
    shown |= set(re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page))
    euro_rows = [row for row in rows[1:] if row[4] == "EUR"]
    assert len(euro_rows) >= 10
    for section, _key, label, value, _unit in euro_rows:
        euros, cents = value.split(".")
        formatted = format_money(int(euros) * 100 + int(cents))
        assert (label, formatted) in shown, (section, label, formatted)
    percents = {row[1]: row[3] for row in rows if row[4] == "%"}
    assert f"{percents['cases']}%" in page and f"{percents['fees']}%" in page
    as_of = next(row[3] for row in rows if row[0] == "period")
    assert as_of == (public_cutoff() - datetime.timedelta(days=1)).isoformat()


def test_the_page_and_csv_are_in_the_visitors_language(client, world):
    page = client.get("/uk/transparency/")
    assert page.status_code == 200
    assert page["Content-Language"] == "uk"
    csv_response = client.get("/uk/transparency/transparency.csv")
    assert csv_response.status_code == 200


# --- Footer, cache and queries --------------------------------------------------------


def test_every_public_page_links_to_the_transparency_page_in_its_footer(client, world):
    for url in (
        "/en/",
        world.case.url,
        world.campaign.url,
        "/en/donate/",
        "/en/prisoners/",
        "/en/transparency/",
    ):
        footer = client.get(url).content.decode().split('<footer class="site-footer">')
        assert len(footer) == 2, url
        assert 'href="/en/transparency/"' in footer[1], url
    uk_footer = client.get("/uk/").content.decode().split("<footer")[-1]
    assert 'href="/uk/transparency/"' in uk_footer


def test_the_page_is_cached_for_anonymous_visitors_and_purged_on_publish(client, world):
    first = client.get("/en/transparency/")
    second = client.get("/en/transparency/")
    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert "no-cache" in first["Cache-Control"] and "public" in first["Cache-Control"]

    world.case.hidden_fields = ",home_region,"
    world.case.save_revision().publish()
    third = client.get("/en/transparency/").content.decode()
    assert "Crimea" not in third
    assert "Region not disclosed" in third


def test_the_csv_is_not_kept_by_shared_caches_without_revalidating(client, world):
    response = client.get("/en/transparency/transparency.csv")
    assert "X-Page-Cache" not in response
    assert "no-cache" in response["Cache-Control"]


def count_queries(function) -> int:
    with CaptureQueriesContext(connection) as queries:
        function()
    return len(queries)


def test_the_selectors_use_a_fixed_number_of_queries_however_much_data(
    world, prisoner_index, payee
):
    key = world.case.translation_key
    campaign_key = world.campaign.translation_key
    before = (
        count_queries(network_money),
        count_queries(lambda: case_money(case_key=key)),
        count_queries(lambda: campaign_money(campaign_key=campaign_key)),
    )
    general = ledger.fund_account(fund_type=Account.FundType.GENERAL)
    for n in range(5):
        case = add_profile(prisoner_index, title=f"More {n}", home_region=world.crimea)
        for category in ("counsel", "translation", "court_fees"):
            entry = allocate(
                world.board, fund=general, case=case, category=category,
                amount=3000, when=at(3),
            )  # fmt: skip
            for months_ago in (3, 2, 1):
                pay(world.board, entry, payee, amount=1000,
                    paid_on=at(months_ago, day=27).date())  # fmt: skip
        for months_ago in (4, 3, 2):
            for _ in range(3):
                case_gift(case, 2000, at(months_ago))
        for _ in range(3):
            give(
                amount=1000, designation=Designation.CAMPAIGN,
                subject_key=campaign_key, when=at(4),
            )  # fmt: skip

    after = (
        count_queries(network_money),
        count_queries(lambda: case_money(case_key=key)),
        count_queries(lambda: campaign_money(campaign_key=campaign_key)),
    )
    assert after == before
    assert after[0] <= 5 and after[1] <= 2 and after[2] <= 3


def test_the_profile_block_costs_two_queries(client, world, settings):
    settings.PAGE_CACHE_SECONDS = 0
    client.get(world.case.url)  # warm what is cached per process
    with CaptureQueriesContext(connection) as with_block:
        client.get(world.case.url)
    sql = [q["sql"] for q in with_block.captured_queries]
    money = [s for s in sql if "accountmonth" in s or "casebudgetline" in s]
    assert len(money) == 2
