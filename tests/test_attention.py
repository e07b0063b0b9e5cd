"""Nothing sits unseen: what needs a person (a Stripe event still failing, a gift
paid at Stripe but missing from the ledger, mail that failed for good, a
reconciliation mismatch, a repair that could not finish, a reconciliation overdue)
shows to the Board on its dashboard and on the admin home, to superusers on the
admin home, to nobody else; and reaches the Board in one digest email, sent again
only when something is new."""

import datetime
import importlib
import re

import pytest
from celery.schedules import crontab
from django.apps import apps as django_apps
from django.core import mail
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone
from wagtail.users.models import UserProfile

from accounts.roles import BOARD_GROUP
from donations.attention import selectors
from donations.attention.selectors import attention
from donations.attention.services import attention_digest_send
from donations.attention.tasks import send_attention_digest
from donations.giving import simulated
from donations.ledger import services as ledger
from donations.models import (
    AttentionDigest,
    Donation,
    LedgerTransaction,
    ReconciliationReport,
    RepairRun,
    StripeEvent,
)
from donations.stripe import sync as stripe_sync
from outbox.codec import template_header
from outbox.delivery import outbox_open
from outbox.models import OutboxMessage
from outbox.services import outbox_enqueue
from tests.conftest import make_user, signed_in
from tests.fake_stripe import stripe_settings_fixture  # noqa: F401 (pytest fixture)

pytestmark = pytest.mark.django_db

HOME = "/admin/"
DASHBOARD = "/admin/board/"
DONOR_EMAIL = "donor@example.org"
SUBJECT = re.compile(r"^.+: \d+ things? needs? attention$")


def ago(**delta) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(**delta)


def utc_today() -> datetime.date:
    return timezone.now().astimezone(datetime.UTC).date()


# --- The six kinds, as the records show them ------------------------------------------


def failing_event(event_id="evt_failing", **fields) -> StripeEvent:
    fields = {
        "type": "charge.refunded",
        "payload": {"id": event_id, "data": {"object": {"id": "ch_1"}}},
        "status": StripeEvent.Status.FAILED,
        "attempts": 10,
        "last_error": "APIError: Stripe answered 500",
        **fields,
    }
    return StripeEvent.objects.create(event_id=event_id, **fields)


def paid_unrecorded_donation(session_id="cs_unrecorded") -> Donation:
    return Donation.objects.create(
        frequency=Donation.Frequency.ONE_OFF,
        currency="EUR",
        amount=4200,
        designation="general",
        status=Donation.Status.PAID,
        email=DONOR_EMAIL,
        checkout_session_id=session_id,
        paid_at=ago(hours=5),
    )


def paid_event(session_id="cs_reported", *, received=None, **obj) -> StripeEvent:
    event = StripeEvent.objects.create(
        event_id=f"evt_{session_id}",
        type="checkout.session.completed",
        payload={
            "id": f"evt_{session_id}",
            "data": {
                "object": {
                    "id": session_id,
                    "object": "checkout.session",
                    "payment_status": "paid",
                    "amount_total": 1500,
                    "currency": "eur",
                    **obj,
                }
            },
        },
        status=StripeEvent.Status.PROCESSED,
    )
    StripeEvent.objects.filter(pk=event.pk).update(received_at=received or ago(hours=3))
    return event


FAILED_MAIL_SUBJECT = "Thank you: your donation receipt"
FAILED_MAIL = "email/receipt → example.org"  # the message itself is sealed


def failed_mail() -> OutboxMessage:
    message = outbox_enqueue(
        message=EmailMultiAlternatives(
            FAILED_MAIL_SUBJECT,
            "Your receipt",
            to=[DONOR_EMAIL],
            headers=template_header("email/receipt"),
        )
    )
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxMessage.Status.FAILED,
        attempts=10,
        last_error=f"550 mailbox {DONOR_EMAIL} unavailable",
    )
    return message


def mismatch_report(days_ago=5) -> ReconciliationReport:
    return ReconciliationReport.objects.create(
        day=utc_today() - datetime.timedelta(days=days_ago),
        checked_at=ago(days=days_ago - 1),
        stripe_count=2,
        ledger_count=1,
        mismatch_count=1,
        mismatches=[
            {
                "id": "txn_missing",
                "type": "charge",
                "kind": "missing",
                "stripe": {"amount": 4000, "fee": 85, "net": 3915},
                "ledger": None,
                "payout": "",
            }
        ],
    )


def unfinished_repairs(count=3) -> list[RepairRun]:
    return [
        RepairRun.objects.create(
            started_at=ago(hours=count - n),
            finished_at=ago(hours=count - n),
            completed=False,
            error="APIConnectionError: Could not connect to Stripe.",
        )
        for n in range(count)
    ]


@pytest.fixture
def six_problems(stripe_settings):
    """One of each kind; the latest successful reconciliation is five days old."""
    failing_event()
    paid_unrecorded_donation()
    paid_event()
    failed_mail()
    mismatch_report()
    unfinished_repairs()


# --- Who sees what --------------------------------------------------------------------


@pytest.fixture
def board(client, django_user_model, home_pages):
    return signed_in(
        client, django_user_model, email="treasurer@example.org", group=BOARD_GROUP
    )


def shown_kinds(html: str) -> set[str]:
    return set(re.findall(r'data-attention-kind="([a-z_]+)"', html))


def test_each_of_the_six_shows_on_the_admin_home_for_a_board_member(
    board, six_problems
):
    html = board.get(HOME).content.decode()

    assert shown_kinds(html) == set(selectors.KINDS)
    assert "Needs attention" in html
    assert "charge.refunded evt_failing" in html
    assert "APIError: Stripe answered 500" in html
    assert "€42 cs_unrecorded" in html and "€15 cs_reported" in html
    assert FAILED_MAIL in html and FAILED_MAIL_SUBJECT not in html
    assert "1 mismatch between Stripe and the ledger." in html
    assert "The last 3 repair runs could not finish." in html
    assert "No successful reconciliation in the last 36 hours." in html
    assert 'data-attention-total="7"' in html
    assert "/admin/stripeevent/retry/?event=evt_failing" in html


def test_each_of_the_six_shows_on_the_board_dashboard(board, six_problems):
    response = board.get(DASHBOARD)

    assert response.status_code == 200
    html = response.content.decode()
    assert shown_kinds(html) == set(selectors.KINDS)
    assert 'id="attention"' in html


def test_a_superuser_sees_the_panel_on_the_admin_home(
    client, django_user_model, home_pages, six_problems
):
    admin = signed_in(
        client,
        django_user_model,
        email="root@example.org",
        is_superuser=True,
        is_staff=True,
    )

    assert shown_kinds(admin.get(HOME).content.decode()) == set(selectors.KINDS)


@pytest.mark.parametrize("group", ["Editors", "Moderators"])
def test_editors_and_moderators_see_none_of_it(
    client, django_user_model, home_pages, six_problems, group
):
    staff = signed_in(
        client, django_user_model, email=f"{group.lower()}@example.org", group=group
    )

    home = staff.get(HOME)
    assert home.status_code == 200
    html = home.content.decode()
    assert shown_kinds(html) == set()
    assert "Needs attention" not in html
    assert "evt_failing" not in html and "cs_unrecorded" not in html
    assert staff.get(DASHBOARD).status_code == 403


def test_when_nothing_needs_attention_the_board_is_told_so(board, stripe_settings):
    ReconciliationReport.objects.create(
        day=utc_today() - datetime.timedelta(days=1), checked_at=ago(hours=2)
    )

    html = board.get(HOME).content.decode()

    assert "Nothing needs attention." in html
    assert shown_kinds(html) == set()


def test_the_panel_names_no_donor(board, six_problems):
    html = board.get(HOME).content.decode()

    assert DONOR_EMAIL not in html


# --- What counts ----------------------------------------------------------------------


def kinds() -> dict[str, int]:
    return {group.kind: group.total for group in attention().groups}


def test_an_event_shows_once_it_has_failed_as_often_as_configured(settings):
    settings.ATTENTION_AFTER_TRIES = 3
    event = failing_event(status=StripeEvent.Status.RECEIVED, attempts=2)
    assert kinds() == {}

    StripeEvent.objects.filter(pk=event.pk).update(attempts=3)

    assert kinds() == {selectors.EVENT: 1}


def test_a_processed_or_ignored_event_needs_nothing():
    failing_event("evt_a", status=StripeEvent.Status.PROCESSED)
    failing_event("evt_b", status=StripeEvent.Status.IGNORED)

    assert kinds() == {}


def test_a_gift_stripe_reported_paid_shows_only_after_the_grace_period(settings):
    settings.ATTENTION_GIFT_MINUTES = 120
    paid_event("cs_recent", received=ago(minutes=30))
    assert kinds() == {}

    paid_event("cs_older", received=ago(minutes=121))

    (item,) = attention().items
    assert item.key == "gift:cs_older"
    assert item.facts["donation"] is False


def test_a_gift_stuck_at_checkout_although_stripe_reported_it_paid_shows():
    donation = Donation.objects.create(
        frequency=Donation.Frequency.ONE_OFF,
        currency="EUR",
        amount=1500,
        designation="general",
        status=Donation.Status.CHECKOUT,
        checkout_session_id="cs_stuck",
    )
    paid_event("cs_stuck")

    (item,) = attention().items
    assert item.kind == selectors.GIFT
    assert item.url == f"/admin/donation/inspect/{donation.pk}/"
    assert "the ledger has no posting for it" in item.detail


def test_a_gift_in_the_ledger_or_not_yet_paid_needs_nothing():
    donation = paid_unrecorded_donation("cs_recorded")
    ledger.ledger_post(
        cause_key="stripe:txn_recorded",
        description="charge charge",
        occurred_at=ago(hours=4),
        legs=[
            (ledger.clearing_account(), 4200),
            (ledger.fund_account(fund_type="general"), -4200),
        ],
        donation=donation,
    )
    paid_event("cs_recorded")
    paid_event("cs_bank_debit", payment_status="unpaid")
    event = paid_event("cs_never_paid")
    StripeEvent.objects.filter(pk=event.pk).update(type="checkout.session.expired")

    assert kinds() == {}


def test_an_invoice_stripe_reported_paid_without_a_posting_shows():
    event = paid_event("in_unrecorded", status="paid", amount_paid=1000)
    StripeEvent.objects.filter(pk=event.pk).update(type="invoice.paid")

    assert kinds() == {selectors.GIFT: 1}


def charge(donation: Donation, txn="txn_paid") -> dict:
    return {
        "id": txn,
        "type": "charge",
        "reporting_category": "charge",
        "amount": donation.amount,
        "fee": 88,
        "net": donation.amount - 88,
        "currency": "eur",
        "created": int(ago(hours=4).timestamp()),
        "source": "ch_paid",
    }


def test_a_paid_gift_is_listed_until_the_ledger_posts_it():
    donation = paid_unrecorded_donation("cs_late")
    assert [item.key for item in attention().items] == ["gift:cs_late"]

    stripe_sync.post_balance_transaction(bt=charge(donation), donation=donation)

    donation.refresh_from_db()
    assert donation.ledger_posted_at is not None
    assert kinds() == {}


def test_a_posting_rolled_back_leaves_the_gift_unmarked_and_listed():
    donation = paid_unrecorded_donation("cs_rolled_back")

    with pytest.raises(RuntimeError), transaction.atomic():
        stripe_sync.post_balance_transaction(bt=charge(donation), donation=donation)
        raise RuntimeError("the rest of the payment's transaction failed")

    assert not LedgerTransaction.objects.filter(donation=donation).exists()
    assert Donation.objects.get(pk=donation.pk).ledger_posted_at is None
    assert kinds() == {selectors.GIFT: 1}


def test_a_gift_marked_paid_after_its_posting_stays_marked_posted(settings):
    # The payment's own save() comes after the posting, from the row it locked
    # before: it must not write the mark back to empty.
    settings.DEBUG = True
    donation = Donation.objects.create(
        frequency=Donation.Frequency.ONE_OFF,
        currency="EUR",
        amount=2500,
        designation="general",
        checkout_session_id="sim_cs_paid",
    )

    simulated.payment_simulate(donation=donation)

    donation.refresh_from_db()
    assert donation.paid_at is not None and donation.ledger_posted_at is not None
    assert kinds() == {}


def test_the_migration_marks_the_gifts_the_ledger_already_posted():
    posted = paid_unrecorded_donation("cs_posted_before")
    transaction_ = ledger.ledger_post(
        cause_key="stripe:txn_before",
        description="charge charge",
        occurred_at=ago(hours=4),
        legs=[
            (ledger.clearing_account(), 4200),
            (ledger.fund_account(fund_type="general"), -4200),
        ],
        donation=posted,
    )
    unposted = paid_unrecorded_donation("cs_never_posted")
    Donation.objects.update(ledger_posted_at=None)  # as before the migration

    migration = importlib.import_module("donations.migrations.0013_ledger_posted")
    migration.mark_posted(django_apps, None)

    posted.refresh_from_db()
    unposted.refresh_from_db()
    assert posted.ledger_posted_at == transaction_.posted_at
    assert unposted.ledger_posted_at is None
    assert [item.key for item in attention().items] == ["gift:cs_never_posted"]


def test_a_repair_shows_once_the_last_runs_all_could_not_finish(settings):
    settings.ATTENTION_AFTER_TRIES = 3
    unfinished_repairs(2)
    assert kinds() == {}

    unfinished_repairs(1)
    assert kinds() == {selectors.REPAIR: 1}

    RepairRun.objects.create(started_at=timezone.now(), completed=True)
    assert kinds() == {}


def test_an_object_no_repair_could_repair_shows(settings):
    settings.ATTENTION_AFTER_TRIES = 2
    failure = {"kind": "payouts", "id": "po_usd", "error": "ValueError: in USD"}
    for hours in (2, 1):
        RepairRun.objects.create(
            started_at=ago(hours=hours),
            completed=True,
            failures=[failure],
            failure_count=1,
        )

    (item,) = attention().items
    assert item.key == "repair:payouts:po_usd"
    assert "ValueError: in USD" in item.detail


def test_a_reconciliation_that_could_not_run_shows():
    ReconciliationReport.objects.create(
        day=utc_today() - datetime.timedelta(days=1),
        checked_at=ago(hours=1),
        error="APIConnectionError: Could not connect",
    )

    assert selectors.RECONCILIATION in kinds()


def test_an_old_mismatch_beyond_the_days_looked_at_is_not_shown(settings):
    settings.ATTENTION_RECONCILIATION_DAYS = 31
    mismatch_report(days_ago=40)

    assert selectors.RECONCILIATION not in kinds()


def test_a_reconciliation_is_overdue_after_36_hours_without_success(stripe_settings):
    yesterday = utc_today() - datetime.timedelta(days=1)
    report = ReconciliationReport.objects.create(
        day=yesterday, checked_at=ago(hours=35)
    )
    assert kinds() == {}

    ReconciliationReport.objects.filter(pk=report.pk).update(checked_at=ago(hours=37))
    assert kinds() == {selectors.STALE: 1}

    # A check of an old day, however recent, does not cover yesterday.
    ReconciliationReport.objects.create(
        day=utc_today() - datetime.timedelta(days=30), checked_at=ago(minutes=5)
    )
    assert kinds() == {selectors.STALE: 1}


def test_without_stripe_no_reconciliation_is_overdue(settings):
    settings.STRIPE_SECRET_KEY = ""

    assert kinds() == {}


# --- The digest -----------------------------------------------------------------------


@pytest.fixture
def board_members(django_user_model):
    return [
        make_user(django_user_model, email=f"board{n}@example.org", group=BOARD_GROUP)
        for n in (1, 2)
    ]


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """The hourly task at a given moment, its mail sent once it commits."""

    def send(now=None):
        with django_capture_on_commit_callbacks(execute=True):
            return attention_digest_send(now=now)

    return send


def digests():
    return [m for m in mail.outbox if SUBJECT.match(m.subject)]


def test_the_board_gets_one_digest_listing_everything(
    six_problems, board_members, send, django_user_model
):
    make_user(django_user_model, email="editor@example.org", group="Editors")

    digest = send()

    messages = digests()
    assert sorted(m.to[0] for m in messages) == [
        "board1@example.org",
        "board2@example.org",
    ]
    assert digest.item_count == 7 and digest.recipient_count == 2
    message = messages[0]
    assert message.subject.endswith(": 7 things need attention")
    html = message.alternatives[0][0]
    for text in (message.body, html):
        for label in selectors.KIND_LABELS.values():
            assert str(label) in text
        assert "evt_failing" in text and "cs_unrecorded" in text
        assert FAILED_MAIL in text and FAILED_MAIL_SUBJECT not in text
        assert "http://testserver/admin/" in text
        assert DONOR_EMAIL not in text
    assert message.body.count("[NEW]") == 7


def test_the_digest_is_not_sent_again_when_nothing_changed(
    six_problems, board_members, send
):
    send()
    mail.outbox.clear()

    assert send(now=timezone.now() + datetime.timedelta(hours=3)) is None

    assert digests() == []
    assert AttentionDigest.objects.count() == 1


def test_something_new_is_sent_but_at_most_once_per_period(
    six_problems, board_members, send, settings
):
    settings.ATTENTION_DIGEST_MINUTES = 60
    first = send()
    mail.outbox.clear()
    failing_event("evt_new")

    assert send(now=first.sent_at + datetime.timedelta(minutes=20)) is None
    assert digests() == []

    send(now=first.sent_at + datetime.timedelta(minutes=60))
    (message, _second) = digests()
    assert "evt_new" in message.body
    assert message.body.count("[NEW]") == 1
    assert "evt_failing" in message.body  # still listed, not new


def test_a_solved_problem_that_comes_back_is_news_again(
    board_members, send, stripe_settings
):
    ReconciliationReport.objects.create(
        day=utc_today() - datetime.timedelta(days=1), checked_at=ago(hours=1)
    )
    event = failing_event()
    first = send()
    event.delete()
    send(now=first.sent_at + datetime.timedelta(hours=2))  # nothing to send
    failing_event()
    mail.outbox.clear()

    send(now=first.sent_at + datetime.timedelta(hours=4))

    assert len(digests()) == 2


def test_no_digest_when_nothing_needs_attention(board_members, send, stripe_settings):
    ReconciliationReport.objects.create(
        day=utc_today() - datetime.timedelta(days=1), checked_at=ago(hours=1)
    )

    assert send() is None
    assert digests() == []
    assert not AttentionDigest.objects.exists()


def test_the_digest_goes_through_the_outbox(six_problems, board_members, send):
    send()

    written = OutboxMessage.objects.exclude(status=OutboxMessage.Status.FAILED)
    assert sorted(
        address for m in written for address in outbox_open(message=m).to
    ) == [
        "board1@example.org",
        "board2@example.org",
    ]


def test_the_digest_speaks_each_members_admin_language(
    six_problems, send, django_user_model
):
    member = make_user(django_user_model, email="uk@example.org", group=BOARD_GROUP)
    profile = UserProfile.get_for_user(member)
    profile.preferred_language = "uk"
    profile.save()

    send()

    (message,) = [m for m in mail.outbox if m.to == ["uk@example.org"]]
    assert '<html lang="uk">' in message.alternatives[0][0]
    assert "evt_failing" in message.body


def test_the_digest_task_runs_every_hour(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["send-attention-digest"]

    assert entry["task"] == "donations.attention.tasks.send_attention_digest"
    assert entry["schedule"] == crontab(minute=15)
    assert send_attention_digest.name == entry["task"]


def test_the_task_says_what_it_sent(
    six_problems, board_members, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        result = send_attention_digest.delay().get()

    assert result == {"items": 7, "recipients": 2}
    assert send_attention_digest.delay().get() == {}


def test_keys_stay_the_same_while_the_problem_does(six_problems):
    assert attention().keys() == attention().keys()
    assert all(key for key in attention().keys())
    assert len(set(attention().keys())) == 7


def test_one_of_several_problems_that_went_away_and_came_back_is_news_again(
    six_problems, board_members, send
):
    first = send()
    event = StripeEvent.objects.get(event_id="evt_failing")
    event.delete()
    assert send(now=first.sent_at + datetime.timedelta(hours=1)) is None
    failing_event()
    mail.outbox.clear()

    send(now=first.sent_at + datetime.timedelta(hours=2))

    (message, _other) = digests()
    assert message.body.count("[NEW]") == 1
    assert "[NEW] charge.refunded evt_failing" in message.body


def test_the_board_is_told_of_failed_mail_but_not_linked_to_its_recipients(
    board, six_problems, client, django_user_model
):
    message = OutboxMessage.objects.get()

    html = board.get(HOME).content.decode()

    assert FAILED_MAIL in html
    assert f"/admin/outbox/inspect/{message.pk}/" not in html
    assert board.get(f"/admin/outbox/inspect/{message.pk}/").status_code != 200


def test_a_superuser_is_linked_to_the_failed_mail(
    client, django_user_model, home_pages, six_problems
):
    message = OutboxMessage.objects.get()
    admin = signed_in(
        client,
        django_user_model,
        email="root@example.org",
        is_superuser=True,
        is_staff=True,
    )

    assert f"/admin/outbox/inspect/{message.pk}/" in admin.get(HOME).content.decode()
