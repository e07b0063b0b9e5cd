"""The nightly reconciliation of the ledger with Stripe: a day on which everything
was posted reports zero; a dropped webhook, an extra posting and a different amount
are each reported; the Board is told by email, and nobody else."""

import datetime

import pytest
from celery.schedules import crontab
from django.core import mail
from django.utils import timezone

from donations.ledger import services as ledger
from donations.models import LedgerTransaction, ReconciliationReport
from donations.stripe.reconciliation import reconcile_day
from donations.stripe.reconciliation_admin import (
    ReconciliationReportViewSet,
    mismatches_table,
)
from donations.stripe.tasks import reconcile_with_stripe, repair_from_stripe
from outbox.delivery import outbox_open
from outbox.models import OutboxMessage
from tests.conftest import add_profile, make_user
from tests.fake_stripe import (  # noqa: F401 (pytest fixtures)
    fake_stripe_fixture,
    manage_links_fixture,
    receive,
    start_donation,
)

pytestmark = pytest.mark.django_db

DAY = 24 * 3600
PRISONER = "Ihar Zamkovy"
SUBJECT = "Reconciliation with Stripe"


def at(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=datetime.UTC)


@pytest.fixture
def day(fake_stripe) -> datetime.date:
    """Yesterday (UTC), on which Stripe's clock runs from 09:00."""
    yesterday = timezone.now().astimezone(datetime.UTC).date() - datetime.timedelta(
        days=1
    )
    fake_stripe.clock = int(at(yesterday, 9).timestamp())
    return yesterday


@pytest.fixture
def deliver(fake_stripe, manage_links, django_capture_on_commit_callbacks):
    def deliver(type, obj, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return receive(fake_stripe, type, obj, **kwargs)

    return deliver


@pytest.fixture
def paid_gift(fake_stripe, deliver):
    """A one-off gift paid at Stripe, its webhook processed (or, with
    `dropped=True`, never delivered)."""

    def paid_gift(amount=2500, fee=63, dropped=False, **fields):
        donation = start_donation(amount=amount, **fields)
        fake_stripe.complete_checkout(
            donation.checkout_session_id, settled_amount=amount, fee=fee
        )
        if not dropped:
            deliver("checkout.session.completed", donation.checkout_session_id)
        return donation

    return paid_gift


def bt_of(world, donation) -> str:
    return world.charge_of(donation.checkout_session_id)["balance_transaction"]


@pytest.fixture
def board_member(django_user_model):
    return make_user(django_user_model, email="treasurer@example.org", group="Board")


@pytest.fixture
def run_nightly(django_capture_on_commit_callbacks):
    """The nightly task, its email sent through the outbox once it commits."""

    def run_nightly():
        with django_capture_on_commit_callbacks(execute=True):
            return reconcile_with_stripe.delay().get()

    return run_nightly


def reconciliation_mail():
    return [m for m in mail.outbox if m.subject.startswith(SUBJECT)]


def html_of(message) -> str:
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    return html


# --- One day -------------------------------------------------------------------------


def test_a_day_where_every_gift_refund_and_payout_was_posted_reports_zero_mismatches(
    fake_stripe, deliver, paid_gift, day
):
    one_off = paid_gift(amount=2500, fee=63)
    monthly = start_donation(frequency="monthly", amount=1000)
    fake_stripe.complete_checkout(
        monthly.checkout_session_id, settled_amount=1000, fee=40
    )
    deliver("checkout.session.completed", monthly.checkout_session_id)
    charge = fake_stripe.charge_of(one_off.checkout_session_id)
    fake_stripe.refund(charge["id"], amount=500)
    deliver("charge.refunded", charge["id"])
    payout = fake_stripe.create_payout()
    deliver("payout.created", payout["id"])
    dispute = fake_stripe.open_dispute(
        fake_stripe.charge_of(monthly.checkout_session_id)["id"]
    )
    deliver("charge.dispute.created", dispute["id"])
    fake_stripe.close_dispute(dispute["id"], won=True)
    deliver("charge.dispute.closed", dispute["id"])
    paid_gift(amount=1500, fee=47)
    failed = fake_stripe.create_payout()
    deliver("payout.created", failed["id"])
    fake_stripe.fail_payout(failed["id"])
    deliver("payout.failed", failed["id"])
    fake_stripe.charge_stripe_fee(200)
    repair_from_stripe.delay()  # Stripe's own fees come by the repair

    report = reconcile_day(day=day)

    assert report.error == ""
    assert report.mismatches == []
    assert report.mismatch_count == 0
    posted = LedgerTransaction.objects.filter(cause_key__startswith="stripe:").count()
    assert report.stripe_count == report.ledger_count == posted == 10
    assert report.day == day
    assert report.checked_at is not None


def test_a_gift_whose_webhook_never_came_is_missing_until_the_repair_posts_it(
    fake_stripe, paid_gift, day
):
    paid_gift()
    dropped = paid_gift(amount=4000, fee=85, dropped=True)

    report = reconcile_day(day=day)

    assert report.mismatch_count == 1
    assert report.mismatches == [
        {
            "id": bt_of(fake_stripe, dropped),
            "type": "charge",
            "kind": "missing",
            "stripe": {"amount": 4000, "fee": 85, "net": 3915},
            "ledger": None,
            "payout": "",
        }
    ]
    assert (report.stripe_count, report.ledger_count) == (2, 1)

    repair_from_stripe.delay()
    report = reconcile_day(day=day)

    assert report.mismatch_count == 0
    assert report.mismatches == []
    assert (report.stripe_count, report.ledger_count) == (2, 2)
    assert ReconciliationReport.objects.get() == report  # refreshed, not added


def test_a_ledger_posting_that_stripe_does_not_know_is_reported_extra(
    fake_stripe, paid_gift, day
):
    paid_gift()
    general = ledger.fund_account(fund_type="general")
    for cause_key, moment in (
        ("stripe:txn_unknown_to_stripe", at(day, 12)),
        ("stripe:txn_of_the_day_before", at(day, 0) - datetime.timedelta(hours=1)),
    ):
        ledger.ledger_post(
            cause_key=cause_key,
            description="charge charge",
            occurred_at=moment,
            legs=[(ledger.clearing_account(), 1000), (general, -1000)],
        )

    report = reconcile_day(day=day)

    assert report.mismatches == [
        {
            "id": "txn_unknown_to_stripe",
            "type": "charge",
            "kind": "extra",
            "stripe": None,
            "ledger": {"net": 1000, "fee": 0},
            "payout": "",
        }
    ]
    assert (report.stripe_count, report.ledger_count) == (1, 2)


def test_a_posting_of_a_different_amount_is_reported(fake_stripe, paid_gift, day):
    donation = paid_gift(dropped=True)
    bt = fake_stripe.get(bt_of(fake_stripe, donation))
    general = ledger.fund_account(fund_type="general")
    ledger.ledger_post(  # as a faulty posting would have made it
        cause_key=f"stripe:{bt['id']}",
        description="charge charge",
        occurred_at=datetime.datetime.fromtimestamp(bt["created"], tz=datetime.UTC),
        legs=[
            (ledger.clearing_account(), 2400),
            (ledger.fees_account(fund=general), 100),
            (general, -2500),
        ],
    )

    report = reconcile_day(day=day)

    assert report.mismatches == [
        {
            "id": bt["id"],
            "type": "charge",
            "kind": "amount",
            "stripe": {"amount": 2500, "fee": 63, "net": 2437},
            "ledger": {"net": 2400, "fee": 100},
            "payout": "",
        }
    ]


def test_a_payout_whose_events_never_came_is_reported_missing(
    fake_stripe, paid_gift, day
):
    paid_gift()
    payout = fake_stripe.create_payout()

    report = reconcile_day(day=day)

    assert report.mismatches == [
        {
            "id": payout["balance_transaction"],
            "type": "payout",
            "kind": "missing",
            "stripe": {"amount": -2437, "fee": 0, "net": -2437},
            "ledger": None,
            "payout": payout["id"],
        }
    ]


def test_a_payout_that_failed_the_next_day_is_checked_with_the_payout(
    fake_stripe, deliver, paid_gift, day
):
    paid_gift()
    payout = fake_stripe.create_payout()
    deliver("payout.created", payout["id"])
    fake_stripe.clock += DAY
    fake_stripe.fail_payout(payout["id"])  # its payout.failed has not come yet

    report = reconcile_day(day=day)

    assert [
        (m["id"], m["type"], m["kind"], m["payout"]) for m in report.mismatches
    ] == [
        (
            payout["failure_balance_transaction"],
            "payout_failure",
            "missing",
            payout["id"],
        )
    ]

    deliver("payout.failed", payout["id"])

    assert reconcile_day(day=day).mismatch_count == 0
    next_day = reconcile_day(day=day + datetime.timedelta(days=1))
    assert (next_day.mismatch_count, next_day.stripe_count) == (0, 1)


def test_a_kind_of_balance_transaction_that_is_not_posted_is_reported_missing(
    fake_stripe, paid_gift, day
):
    paid_gift()
    topup = fake_stripe.add_balance_transaction(type="topup", amount=10000)
    repair_from_stripe.delay()

    report = reconcile_day(day=day)

    assert [(m["id"], m["type"], m["kind"]) for m in report.mismatches] == [
        (topup["id"], "topup", "missing")
    ]


def test_when_stripe_cannot_be_reached_the_report_says_so(fake_stripe, paid_gift, day):
    paid_gift(dropped=True)
    assert reconcile_day(day=day).mismatch_count == 1
    fake_stripe.down = True

    report = reconcile_day(day=day)

    assert report.error.startswith("APIConnectionError")
    assert (report.stripe_count, report.mismatch_count, report.mismatches) == (0, 0, [])
    assert ReconciliationReport.objects.count() == 1


def test_every_page_of_stripes_balance_transactions_is_read(fake_stripe, day):
    for _ in range(150):
        fake_stripe.charge_stripe_fee(10)
    repair_from_stripe.delay()

    report = reconcile_day(day=day)

    assert (report.stripe_count, report.ledger_count, report.mismatch_count) == (
        150,
        150,
        0,
    )
    pages = [
        r.params
        for r in fake_stripe.sent("GET", "/v1/balance_transactions")
        if "type" not in r.params  # the reconciliation's, not the repair's
    ]
    assert len(pages) == 2
    assert pages[0]["created"] == {
        "gte": str(int(at(day, 0).timestamp())),
        "lt": str(int(at(day, 0).timestamp()) + DAY),
    }
    assert "starting_after" in pages[1]


# --- The nightly task and the Board's email -------------------------------------------


def test_the_nightly_task_checks_the_previous_days_and_emails_the_board_the_mismatch(
    fake_stripe, paid_gift, day, board_member, run_nightly
):
    paid_gift()
    dropped = paid_gift(amount=4000, fee=85, dropped=True)

    result = run_nightly()

    days = [day - datetime.timedelta(days=n) for n in (2, 1, 0)]
    assert (
        list(ReconciliationReport.objects.order_by("day").values_list("day", flat=True))
        == days
    )
    assert result == {str(days[0]): 0, str(days[1]): 0, str(day): 1}
    (message,) = reconciliation_mail()
    assert message.to == [board_member.email]
    assert message.subject == "Reconciliation with Stripe: 1 mismatch"
    txn = bt_of(fake_stripe, dropped)
    for text in (message.body, html_of(message)):
        assert txn in text
        assert "missing from the ledger" in text
        assert "€40" in text and "€0.85" in text and "€39.15" in text
    assert f"{day:%Y-%m-%d}: 1 mismatch" in message.body


def test_staff_outside_the_board_get_no_reconciliation_email(
    fake_stripe, paid_gift, day, board_member, run_nightly, django_user_model
):
    editor = make_user(django_user_model, email="editor@example.org", group="Editors")
    admin = django_user_model.objects.create_superuser(
        username="root", email="admin@example.org", password="x"
    )
    former = make_user(
        django_user_model, email="former@example.org", group="Board", is_active=False
    )
    no_address = make_user(django_user_model, email="x@example.org", group="Board")
    no_address.email = ""
    no_address.save()
    paid_gift(dropped=True)

    run_nightly()

    recipients = [m.to for m in reconciliation_mail()]
    assert recipients == [[board_member.email]]
    written_to = {
        address
        for m in OutboxMessage.objects.all()
        for address in outbox_open(message=m).to
    }
    assert written_to & {editor.email, admin.email, former.email} == set()


def test_the_boards_email_names_no_donor_and_no_prisoner(
    fake_stripe, paid_gift, day, board_member, run_nightly, prisoner_index
):
    case = add_profile(prisoner_index, title=PRISONER)
    donation = paid_gift(
        designation="case", subject_key=case.translation_key, dropped=True
    )

    run_nightly()

    (message,) = reconciliation_mail()
    assert bt_of(fake_stripe, donation) in message.body  # what the Board needs
    for text in (message.subject, message.body, html_of(message)):
        assert PRISONER not in text
        assert "Zamkovy" not in text
        assert "donor@example.org" not in text and "A Donor" not in text
        assert str(donation.public_id) not in text
        assert str(case.translation_key) not in text


def test_when_every_day_matched_the_board_is_told_so(
    fake_stripe, paid_gift, day, board_member, run_nightly
):
    paid_gift()

    result = run_nightly()

    assert set(result.values()) == {0}
    (message,) = reconciliation_mail()
    assert message.subject == "Reconciliation with Stripe: every day matched"
    assert "Every day matched" in message.body
    assert "Every day matched" in html_of(message)


def test_when_stripe_cannot_be_reached_the_board_is_told(
    fake_stripe, day, board_member, run_nightly
):
    fake_stripe.down = True

    result = run_nightly()

    assert set(result.values()) == {"error"}
    (message,) = reconciliation_mail()
    assert message.subject == "Reconciliation with Stripe: could not be checked"
    assert message.body.count("could not be checked (APIConnectionError") == 3
    assert "Every day matched" not in message.body


def test_the_nightly_task_checks_as_many_days_as_configured(
    fake_stripe, day, run_nightly, settings
):
    settings.RECONCILIATION_DAYS = 5

    run_nightly()

    assert ReconciliationReport.objects.count() == 5
    assert ReconciliationReport.objects.order_by("-day").first().day == day


def test_without_stripe_keys_the_nightly_task_does_nothing(
    settings, django_user_model, run_nightly
):
    settings.STRIPE_SECRET_KEY = ""
    make_user(django_user_model, email="treasurer@example.org", group="Board")

    assert run_nightly() == {}
    assert not ReconciliationReport.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_the_reconciliation_runs_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reconcile-with-stripe"]

    assert entry["task"] == "donations.stripe.tasks.reconcile_with_stripe"
    assert entry["schedule"] == crontab(hour=3, minute=30)


# --- The admin -----------------------------------------------------------------------


def test_the_reports_admin_only_shows_and_never_edits():
    viewset = ReconciliationReportViewSet()

    assert viewset.model is ReconciliationReport
    assert {p.name for p in viewset.get_urlpatterns()} == {
        "index",
        "index_results",
        "inspect",
    }


def test_a_reports_page_lists_each_mismatch_with_its_amounts_escaped():
    html = mismatches_table(
        [
            {
                "id": "txn_<script>",
                "type": "charge",
                "kind": "amount",
                "stripe": {"amount": 2500, "fee": 63, "net": 2437},
                "ledger": {"net": 2400, "fee": 100},
                "payout": "",
            }
        ]
    )

    assert "txn_&lt;script&gt;" in html and "<script>" not in html
    assert "different amount" in html
    assert "€25 / €0.63 / €24.37" in html
    assert "€1 / €24" in html
    assert "None" in mismatches_table([])
