"""The nightly reconciliation of the fund ledger with Stripe.

For one UTC day, every balance transaction Stripe created that day, and those of the
payouts Stripe created that day, is compared with the ledger's transaction caused by
it (cause_key "stripe:<txn id>"); every ledger transaction caused by Stripe that
occurred that day must be one of them. Each difference is a mismatch:

- missing: at Stripe, not in the ledger (a lost webhook, or a kind of balance
  transaction we do not post: top-ups, reserves, ... — a person must look at it);
- extra: in the ledger on that day, unknown to Stripe;
- amount: both have it, but the ledger's clearing leg is not the transaction's
  `net` or its fee legs (payment and dispute fees) are not its `fee`. For one of
  Stripe's own fees (type stripe_fee) the whole of it is a fee: the fee legs must be
  −net.

The result is stored as the day's `ReconciliationReport` (one per day, refreshed by
each check); when Stripe cannot be reached the report records the error instead.
`reconciliation_run` checks several days and emails the Board the outcome.
"""

import datetime
import logging
from collections.abc import Iterable, Iterator
from typing import Any

import stripe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives
from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from accounts.roles import BOARD_GROUP
from donations.ledger.money import format_money
from donations.ledger.services import FEE_KINDS
from donations.models import Account, LedgerTransaction, ReconciliationReport
from donations.stripe.client import StripeNotConfigured, client, plain
from donations.stripe.sync import STRIPE_FEE_TYPE
from outbox.codec import template_header

logger = logging.getLogger(__name__)

MISSING = "missing"
EXTRA = "extra"
AMOUNT = "amount"
KIND_LABELS = {
    MISSING: _("missing from the ledger"),
    EXTRA: _("in the ledger, unknown to Stripe"),
    AMOUNT: _("different amount"),
}
STRIPE_CAUSE = "stripe:"
# How many cause keys one `IN (...)` query asks for (SQLite allows ~32,000).
LOOKUP_CHUNK = 500


def _day_bounds(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = datetime.datetime.combine(day, datetime.time.min, tzinfo=datetime.UTC)
    return start, start + datetime.timedelta(days=1)


def _txn_id(value) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value.get("id")


def _stripe_side(
    start: datetime.datetime, end: datetime.datetime
) -> dict[str, dict[str, Any]]:
    """Stripe's balance transactions of the day and of the day's payouts, by id:
    {"type", "amount", "fee", "net", "payout"}."""
    api = client().v1
    gte, lt = int(start.timestamp()), int(end.timestamp())
    found: dict[str, dict[str, Any]] = {}

    def keep(bt: dict[str, Any], payout: str = "") -> None:
        found[bt["id"]] = {
            "type": str(bt.get("type") or ""),
            "amount": int(bt["amount"]),
            "fee": int(bt["fee"]),
            "net": int(bt["net"]),
            "payout": payout,
        }

    listed = api.balance_transactions.list(
        params={"created": {"gte": gte, "lt": lt}, "limit": 100}
    )
    for listed_bt in listed.auto_paging_iter():
        keep(plain(listed_bt))
    payouts = api.payouts.list(
        params={
            "created": {"gte": gte, "lt": lt},
            "limit": 100,
            "expand": ["data.balance_transaction", "data.failure_balance_transaction"],
        }
    )
    for listed_payout in payouts.auto_paging_iter():
        payout = plain(listed_payout)
        for key in ("balance_transaction", "failure_balance_transaction"):
            bt_or_id = payout.get(key)
            bt_id = _txn_id(bt_or_id)
            if not bt_id:
                continue
            if bt_id in found:
                found[bt_id]["payout"] = payout["id"]
                continue
            # The payout's own balance transaction is normally in the day's list;
            # its return (a failure days later) is not, and is checked here too.
            payout_bt = (
                bt_or_id
                if isinstance(bt_or_id, dict)
                else plain(api.balance_transactions.retrieve(bt_id))
            )
            keep(payout_bt, payout=payout["id"])
    return found


def _ledger_rows(query: Q) -> Iterator[Any]:
    return (
        LedgerTransaction.objects.filter(query)
        .annotate(
            clearing=Coalesce(
                Sum(
                    "legs__amount", filter=Q(legs__account__kind=Account.Kind.CLEARING)
                ),
                0,
            ),
            fees=Coalesce(
                Sum("legs__amount", filter=Q(legs__account__kind__in=FEE_KINDS)), 0
            ),
        )
        .values("cause_key", "description", "clearing", "fees")
        .order_by()
        .iterator()
    )


def _ledger_side(
    start: datetime.datetime, end: datetime.datetime, stripe_ids: Iterable[str]
) -> tuple[dict[str, dict[str, Any]], set[str]]:
    """The ledger's Stripe-caused transactions of the day, and those of `stripe_ids`
    (whatever day they were posted on), by balance transaction id; and the ids of
    the day's."""
    postings: dict[str, dict[str, Any]] = {}
    of_the_day: set[str] = set()
    day = Q(
        cause_key__startswith=STRIPE_CAUSE, occurred_at__gte=start, occurred_at__lt=end
    )
    for row in _ledger_rows(day):
        txn = row["cause_key"].removeprefix(STRIPE_CAUSE)
        postings[txn] = row
        of_the_day.add(txn)
    others = sorted(set(stripe_ids) - of_the_day)
    for i in range(0, len(others), LOOKUP_CHUNK):
        keys = [STRIPE_CAUSE + txn for txn in others[i : i + LOOKUP_CHUNK]]
        for row in _ledger_rows(Q(cause_key__in=keys)):
            postings[row["cause_key"].removeprefix(STRIPE_CAUSE)] = row
    return postings, of_the_day


def _expected_fees(bt: dict[str, Any]) -> int:
    return -bt["net"] if bt["type"] == STRIPE_FEE_TYPE else bt["fee"]


def compare(
    stripe_side: dict[str, dict[str, Any]],
    postings: dict[str, dict[str, Any]],
    of_the_day: set[str],
) -> list[dict[str, Any]]:
    """Every mismatch between Stripe's balance transactions and the ledger."""
    mismatches = []
    for txn, bt in stripe_side.items():
        stripe_amounts = {k: bt[k] for k in ("amount", "fee", "net")}
        posting = postings.get(txn)
        if posting is None:
            kind, ledger_amounts = MISSING, None
        else:
            ledger_amounts = {"net": posting["clearing"], "fee": posting["fees"]}
            if (posting["clearing"], posting["fees"]) == (
                bt["net"],
                _expected_fees(bt),
            ):
                continue
            kind = AMOUNT
        mismatches.append(
            {
                "id": txn,
                "type": bt["type"],
                "kind": kind,
                "stripe": stripe_amounts,
                "ledger": ledger_amounts,
                "payout": bt["payout"],
            }
        )
    for txn in sorted(of_the_day - set(stripe_side)):
        posting = postings[txn]
        mismatches.append(
            {
                "id": txn,
                "type": (posting["description"].split() or [""])[0],
                "kind": EXTRA,
                "stripe": None,
                "ledger": {"net": posting["clearing"], "fee": posting["fees"]},
                "payout": "",
            }
        )
    order = {MISSING: 0, AMOUNT: 1, EXTRA: 2}
    return sorted(mismatches, key=lambda m: (order[m["kind"]], m["id"]))


def reconcile_day(*, day: datetime.date) -> ReconciliationReport:
    """Compare one UTC day of the ledger with Stripe and store the day's report
    (replacing an earlier check of the same day). If Stripe cannot be reached, the
    report says why and lists nothing."""
    start, end = _day_bounds(day)
    try:
        stripe_side = _stripe_side(start, end)
    except (stripe.StripeError, StripeNotConfigured) as error:
        logger.warning("reconciliation of %s: Stripe failed", day, exc_info=True)
        message = getattr(error, "user_message", None) or str(error)
        report, _created = ReconciliationReport.objects.update_or_create(
            day=day,
            defaults={
                "checked_at": timezone.now(),
                "stripe_count": 0,
                "ledger_count": 0,
                "mismatch_count": 0,
                "mismatches": [],
                "error": f"{error.__class__.__name__}: {message}"[:2000],
            },
        )
        return report
    postings, of_the_day = _ledger_side(start, end, stripe_side)
    mismatches = compare(stripe_side, postings, of_the_day)
    report, _created = ReconciliationReport.objects.update_or_create(
        day=day,
        defaults={
            "checked_at": timezone.now(),
            "stripe_count": len(stripe_side),
            "ledger_count": len(of_the_day),
            "mismatch_count": len(mismatches),
            "mismatches": mismatches,
            "error": "",
        },
    )
    return report


def previous_days(
    *, count: int, today: datetime.date | None = None
) -> list[datetime.date]:
    """The `count` UTC days before today, oldest first."""
    today = today or timezone.now().astimezone(datetime.UTC).date()
    return [today - datetime.timedelta(days=n) for n in range(count, 0, -1)]


def days_between(*, start: datetime.date, end: datetime.date) -> list[datetime.date]:
    """Every day from `start` to `end`, both included, oldest first."""
    return [start + datetime.timedelta(days=n) for n in range((end - start).days + 1)]


def reconciliation_run(
    *, days: list[datetime.date], notify: bool = True
) -> list[ReconciliationReport]:
    """Check each day, then (with `notify`, as the nightly check does) email the
    Board what was found or that all matched. A Board member who runs the check
    from the admin sees the reports there; the Board is not emailed for it (what
    is wrong still reaches them in the attention digest). Today can be checked:
    its report covers the day so far only."""
    reports = [reconcile_day(day=day) for day in days]
    if notify:
        reconciliation_report_send(reports=reports)
    return reports


# --- Telling the Board -------------------------------------------------------------


def board_recipients() -> list:
    """Active members of the Board group who have an email address."""
    return list(
        get_user_model()
        .objects.filter(is_active=True, groups__name=BOARD_GROUP)
        .exclude(email="")
        .select_related("wagtail_userprofile")
        .distinct()
        .order_by("pk")
    )


def member_language(user) -> str:
    """The member's admin language if they chose one, else English."""
    profile = getattr(user, "wagtail_userprofile", None)
    language = getattr(profile, "preferred_language", "") or "en"
    return language if language in dict(settings.LANGUAGES) else "en"


# The admin registers its report screens under this name (reconciliation_admin).
ADMIN_URL_NAMESPACE = "reconciliation_reports"


def _admin_url() -> str:
    try:
        path = reverse(f"{ADMIN_URL_NAMESPACE}:index")
    except NoReverseMatch:  # the viewset is not registered
        return ""
    return f"{settings.WAGTAILADMIN_BASE_URL}{path}"


def _money(amounts: dict[str, int] | None) -> dict[str, str] | None:
    if amounts is None:
        return None
    return {name: format_money(value) for name, value in amounts.items()}


def _email_context(reports: list[ReconciliationReport]) -> dict[str, Any]:
    days = [
        {
            "day": report.day,
            "error": report.error,
            "stripe_count": report.stripe_count,
            "ledger_count": report.ledger_count,
            "mismatch_count": report.mismatch_count,
            "mismatches": [
                {
                    "id": mismatch.get("id", ""),
                    "type": mismatch.get("type", ""),
                    "payout": mismatch.get("payout", ""),
                    "kind_label": KIND_LABELS.get(mismatch.get("kind"), ""),
                    "stripe": _money(mismatch.get("stripe")),
                    "ledger": _money(mismatch.get("ledger")),
                }
                for mismatch in report.mismatches
            ],
        }
        for report in sorted(reports, key=lambda r: r.day)
    ]
    mismatch_count = sum(report.mismatch_count for report in reports)
    error_count = sum(1 for report in reports if report.error)
    return {
        "days": days,
        "mismatch_count": mismatch_count,
        "error_count": error_count,
        "all_matched": bool(reports) and not mismatch_count and not error_count,
        "admin_url": _admin_url(),
        "organisation": settings.WAGTAIL_SITE_NAME,
    }


def reconciliation_report_send(*, reports: list[ReconciliationReport]) -> int:
    """Email each Board member one message (through the outbox) listing every
    mismatch and every day that could not be checked, or saying that every day
    matched. Stripe ids and amounts only: no donor, no prisoner. Returns how many
    messages were written."""
    sent = 0
    for member in board_recipients():
        with translation.override(member_language(member)):
            context = _email_context(reports)
            subject = render_to_string("email/reconciliation_subject.txt", context)
            message = EmailMultiAlternatives(
                subject=" ".join(subject.split()),
                body=render_to_string("email/reconciliation.txt", context),
                to=[member.email],
                headers=template_header("email/reconciliation"),
            )
            message.attach_alternative(
                render_to_string("email/reconciliation.html", context), "text/html"
            )
            sent += message.send()
    return sent
