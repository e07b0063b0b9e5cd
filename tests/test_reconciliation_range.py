"""The Board checks the ledger against Stripe for any range of days up to today
from the admin: the range is validated, each day's report is stored and shown, and
today's is said to be partial."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from accounts.roles import BOARD_GROUP
from donations.models import ReconciliationReport
from donations.stripe.reconciliation import days_between, reconciliation_run
from donations.stripe.reconciliation_admin import ReconciliationRangeForm
from tests.conftest import make_user, signed_in
from tests.fake_stripe import (  # noqa: F401 (pytest fixtures)
    fake_stripe_fixture,
    manage_links_fixture,
    receive,
    start_donation,
)

pytestmark = pytest.mark.django_db

CHECK = "/admin/reconciliation/check/"


def utc_today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


@pytest.fixture
def board(client, django_user_model, home_pages):
    return signed_in(
        client, django_user_model, email="treasurer@example.org", group=BOARD_GROUP
    )


def form(start: datetime.date | str, end: datetime.date | str):
    bound = ReconciliationRangeForm({"start": str(start), "end": str(end)})
    bound.is_valid()
    return bound


# --- The form -------------------------------------------------------------------------


def test_a_range_up_to_today_is_accepted():
    today = utc_today()
    bound = form(today - datetime.timedelta(days=2), today)

    assert bound.errors == {}
    assert bound.days() == [today - datetime.timedelta(days=n) for n in (2, 1, 0)]


def test_a_range_ending_after_today_is_refused():
    today = utc_today()

    bound = form(today, today + datetime.timedelta(days=1))

    assert bound.errors == {
        "end": [f"The last day can be today ({today.isoformat()}) at the latest."]
    }


def test_a_range_that_starts_after_it_ends_is_refused():
    today = utc_today()

    bound = form(today, today - datetime.timedelta(days=1))

    assert bound.errors == {"start": ["The first day must not be after the last."]}


def test_a_range_longer_than_allowed_is_refused(settings):
    settings.RECONCILIATION_RANGE_MAX_DAYS = 92
    today = utc_today()

    assert form(today - datetime.timedelta(days=91), today).errors == {}
    assert form(today - datetime.timedelta(days=92), today).errors == {
        "__all__": ["At most 92 days can be checked at a time."]
    }


def test_both_days_are_required_and_must_be_dates():
    bound = form("", "not a date")

    assert set(bound.errors) == {"start", "end"}


# --- Running it -----------------------------------------------------------------------


@pytest.fixture
def two_days(fake_stripe, manage_links, django_capture_on_commit_callbacks):
    """Yesterday a gift whose webhook never came; today one that was recorded."""
    today = utc_today()
    yesterday = today - datetime.timedelta(days=1)
    start_of = datetime.datetime.combine(yesterday, datetime.time(9), datetime.UTC)
    fake_stripe.clock = int(start_of.timestamp())
    dropped = start_donation(amount=4000)
    fake_stripe.complete_checkout(dropped.checkout_session_id, settled_amount=4000)
    today_start = datetime.datetime.combine(today, datetime.time.min, datetime.UTC)
    fake_stripe.clock = max(
        int(today_start.timestamp()), int(timezone.now().timestamp()) - 60
    )
    recorded = start_donation(amount=1500)
    fake_stripe.complete_checkout(recorded.checkout_session_id, settled_amount=1500)
    with django_capture_on_commit_callbacks(execute=True):
        receive(fake_stripe, "checkout.session.completed", recorded.checkout_session_id)
    return yesterday, today


def test_the_board_checks_yesterday_and_today_and_sees_both_reports(board, two_days):
    yesterday, today = two_days

    response = board.post(CHECK, {"start": yesterday, "end": today})

    assert response.status_code == 302
    assert response["Location"] == f"{CHECK}?start={yesterday}&end={today}"
    reports = {r.day: r for r in ReconciliationReport.objects.all()}
    assert set(reports) == {yesterday, today}
    assert reports[yesterday].mismatch_count == 1
    assert (reports[today].mismatch_count, reports[today].error) == (0, "")
    page = board.get(response["Location"]).content.decode()
    assert f'data-day="{yesterday}"' in page and f'data-day="{today}"' in page
    assert "data-partial-today" in page
    assert "is not over: its report covers only what" in page
    assert page.count("partial: today") == 1
    assert "2 days checked. Mismatches: 1; could not be checked: 0." in page


def test_a_check_from_the_admin_does_not_email_the_board(
    board, two_days, django_capture_on_commit_callbacks
):
    yesterday, today = two_days
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        board.post(CHECK, {"start": yesterday, "end": today})

    assert [m for m in mail.outbox if "Reconciliation" in m.subject] == []


def test_a_past_range_is_not_called_partial(board, two_days):
    yesterday, _today = two_days

    board.post(CHECK, {"start": yesterday, "end": yesterday})
    page = board.get(f"{CHECK}?start={yesterday}&end={yesterday}").content.decode()

    assert "data-partial-today" not in page
    assert "partial: today" not in page


def test_a_long_range_is_checked_in_the_background(
    board, fake_stripe, settings, django_capture_on_commit_callbacks
):
    settings.RECONCILIATION_INLINE_DAYS = 7
    today = utc_today()
    start = today - datetime.timedelta(days=9)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        response = board.post(CHECK, {"start": start, "end": today}, follow=True)

    assert len(callbacks) >= 1
    assert "10 days are being checked in the background" in response.content.decode()
    assert ReconciliationReport.objects.count() == 10


def test_an_invalid_range_is_shown_with_its_error_and_nothing_is_checked(
    board, fake_stripe
):
    today = utc_today()

    response = board.post(CHECK, {"start": today, "end": today + datetime.timedelta(1)})

    assert response.status_code == 200
    assert "at the latest." in response.content.decode()
    assert not ReconciliationReport.objects.exists()


def test_without_stripe_nothing_is_checked(board, settings):
    settings.STRIPE_SECRET_KEY = ""
    today = utc_today()

    response = board.post(CHECK, {"start": today, "end": today})

    assert "Stripe is not set up: nothing to check." in response.content.decode()
    assert not ReconciliationReport.objects.exists()


def test_the_reports_list_offers_the_check_to_the_board(board):
    page = board.get("/admin/reconciliation_reports/").content.decode()

    assert "Check a range of days" in page
    assert CHECK in page


def test_a_superuser_may_run_the_check(client, django_user_model, home_pages):
    admin = signed_in(
        client,
        django_user_model,
        email="root@example.org",
        is_superuser=True,
        is_staff=True,
    )

    assert admin.get(CHECK).status_code == 200


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_other_staff_may_not_run_the_check(
    client, django_user_model, home_pages, fake_stripe, group
):
    staff = signed_in(
        client, django_user_model, email=f"{group.lower()}@example.org", group=group
    )
    today = utc_today()

    assert staff.get(CHECK).status_code == 403
    assert staff.post(CHECK, {"start": today, "end": today}).status_code == 403
    assert not ReconciliationReport.objects.exists()


# --- The service ----------------------------------------------------------------------


def test_days_between_includes_both_ends():
    day = datetime.date(2025, 2, 27)

    assert days_between(start=day, end=datetime.date(2025, 3, 1)) == [
        datetime.date(2025, 2, 27),
        datetime.date(2025, 2, 28),
        datetime.date(2025, 3, 1),
    ]
    assert days_between(start=day, end=day) == [day]


def test_a_run_without_notice_emails_nobody(
    fake_stripe, django_user_model, django_capture_on_commit_callbacks
):
    make_user(django_user_model, email="treasurer@example.org", group=BOARD_GROUP)

    with django_capture_on_commit_callbacks(execute=True):
        (report,) = reconciliation_run(days=[utc_today()], notify=False)

    assert report.error == ""
    assert mail.outbox == []
