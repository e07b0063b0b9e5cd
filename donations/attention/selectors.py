"""The one read of what needs the Board's attention.

Six kinds of item, each shown once it is clear that nothing automatic will fix it:

- a Stripe event still failing: `failed` (retries ran out), or still waiting after
  ATTENTION_AFTER_TRIES attempts (an event whose donation we cannot find is
  retried for ever, so it is shown instead of given up);
- a gift Stripe has as paid that the ledger has not. Two facts of ours say Stripe
  took the money: a donation with `paid_at` (set in the same transaction as its
  posting, so one without a posting is always wrong; `ledger_posted_at` marks
  one that has it), and a stored event whose object says paid
  (`checkout.session.completed` or `…async_payment_succeeded` with
  payment_status "paid", `invoice.paid` with an amount). Such an event whose
  session or invoice has no donation with a ledger posting, ATTENTION_GIFT_MINUTES
  after it came (time for the event's own retries and two hourly repairs), is
  shown. This also covers donations stuck at checkout or "processing" although
  Stripe reported the payment: a donation "processing" without such an event is a
  bank debit still under way (up to two weeks), not a problem;
- mail that failed for good (the outbox gave up after OUTBOX_MAX_ATTEMPTS);
- a reconciliation report, of the last ATTENTION_RECONCILIATION_DAYS days, with
  mismatches or that could not be checked;
- a repair that could not finish: the last ATTENTION_AFTER_TRIES hourly runs all
  stopped (Stripe unreachable, a listing refused), or one object could not be
  repaired in any of them;
- no successful reconciliation of a recent day (one the nightly check covers)
  within ATTENTION_RECONCILIATION_HOURS (36): the nightly check has not run.

Each item has a `key` that stays the same while the problem stays the same: the
digest is sent again only when a key is new.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.db.models.fields.json import KT
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from accounts.roles import is_board_or_superuser
from donations.ledger.money import format_money
from donations.models import (
    Donation,
    LedgerTransaction,
    ReconciliationReport,
    RepairRun,
    StripeEvent,
)
from outbox.models import OutboxMessage

EVENT = "stripe_event"
GIFT = "unrecorded_gift"
MAIL = "failed_mail"
RECONCILIATION = "reconciliation"
REPAIR = "repair"
STALE = "reconciliation_stale"
KINDS = (EVENT, GIFT, MAIL, RECONCILIATION, REPAIR, STALE)
KIND_LABELS = {
    EVENT: gettext_lazy("Stripe events still failing"),
    GIFT: gettext_lazy("Gifts paid at Stripe but missing from the ledger"),
    MAIL: gettext_lazy("Email that could not be sent"),
    RECONCILIATION: gettext_lazy("Reconciliation mismatches"),
    REPAIR: gettext_lazy("Repairs from Stripe that could not finish"),
    STALE: gettext_lazy("Reconciliation overdue"),
}
# How many items of one kind are listed; the rest are counted.
LISTED_PER_KIND = 50

SESSION_PAID_TYPES = (
    "checkout.session.completed",
    "checkout.session.async_payment_succeeded",
)
INVOICE_PAID_TYPE = "invoice.paid"


def may_see_attention(user) -> bool:
    """Board members and superusers: they can act on what is listed (process an
    event again, re-run the reconciliation, send an email again)."""
    return is_board_or_superuser(user)


def _url(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:  # the admin screen is not registered
        return ""


@dataclasses.dataclass(frozen=True)
class Item:
    """One thing that needs a person. `summary` and `detail` are worded when read,
    in the language then active (the admin's, or each Board member's for email)."""

    kind: str
    key: str
    facts: dict[str, Any]
    when: datetime.datetime | None = None
    url_name: str = ""
    url_args: tuple = ()

    @property
    def summary(self) -> str:
        return SUMMARIES[self.kind](self.facts)[0]

    @property
    def detail(self) -> str:
        return SUMMARIES[self.kind](self.facts)[1]

    @property
    def url(self) -> str:
        return _url(self.url_name, *self.url_args) if self.url_name else ""


@dataclasses.dataclass(frozen=True)
class Group:
    kind: str
    items: list[Item]
    total: int

    @property
    def label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclasses.dataclass(frozen=True)
class Attention:
    """Everything that needs attention now, by kind (empty kinds left out)."""

    groups: list[Group]
    checked_at: datetime.datetime

    @property
    def total(self) -> int:
        return sum(group.total for group in self.groups)

    @property
    def items(self) -> list[Item]:
        return [item for group in self.groups for item in group.items]

    def keys(self) -> list[str]:
        """What the digest remembers: each listed item, and how many more of a
        kind there are (a growing number is news too)."""
        keys = [item.key for item in self.items]
        keys += [f"{g.kind}:more:{g.total}" for g in self.groups if g.more]
        return sorted(keys)

    def __bool__(self) -> bool:
        return bool(self.groups)


# --- The six kinds -------------------------------------------------------------------


def failing_events(*, now: datetime.datetime) -> tuple[list[Item], int]:
    tries = settings.ATTENTION_AFTER_TRIES
    events = StripeEvent.objects.filter(
        Q(status=StripeEvent.Status.FAILED)
        | Q(status=StripeEvent.Status.RECEIVED, attempts__gte=tries)
    ).order_by("received_at", "pk")
    listed = events.only(
        "pk", "event_id", "type", "status", "attempts", "last_error", "received_at"
    )[:LISTED_PER_KIND]
    items = [
        Item(
            kind=EVENT,
            key=f"event:{event.event_id}",
            facts={
                "event_id": event.event_id,
                "type": event.type,
                "attempts": event.attempts,
                "failed": event.status == StripeEvent.Status.FAILED,
                "error": event.last_error[:300],
            },
            when=event.received_at,
            url_name="stripeevent:inspect",
            url_args=(event.pk,),
        )
        for event in listed
    ]
    return items, events.count()


def _ledger_has(**donation_lookup) -> Exists:
    return Exists(
        LedgerTransaction.objects.filter(
            **{f"donation__{k}": v for k, v in donation_lookup.items()}
        )
    )


def unrecorded_gifts(*, now: datetime.datetime) -> tuple[list[Item], int]:
    found: dict[str, Item] = {}
    # `ledger_posted_at` is set with a donation's first posting, in its transaction
    # (ledger.ledger_post), so the partial index donation_paid_unposted holds just
    # the paid donations the ledger may lack. Each is still looked up in the ledger:
    # one posted without the mark (by code older than the mark) is not shown.
    paid_without_posting = (
        Donation.objects.filter(paid_at__isnull=False, ledger_posted_at=None)
        .filter(~Exists(LedgerTransaction.objects.filter(donation=OuterRef("pk"))))
        .order_by("paid_at", "pk")
    )
    for donation in paid_without_posting[: LISTED_PER_KIND * 2]:
        stripe_id = donation.invoice_id or donation.checkout_session_id or ""
        key = f"gift:{stripe_id or donation.public_id}"
        found[key] = Item(
            kind=GIFT,
            key=key,
            facts={
                "stripe_id": stripe_id,
                "amount": donation.amount,
                "currency": donation.currency,
                "donation": True,
            },
            when=donation.paid_at,
            url_name="donation:inspect",
            url_args=(donation.pk,),
        )
    cutoff = now - datetime.timedelta(minutes=settings.ATTENTION_GIFT_MINUTES)
    events = (
        StripeEvent.objects.filter(received_at__lt=cutoff)
        .exclude(status=StripeEvent.Status.IGNORED)
        .annotate(object_id=KT("payload__data__object__id"))
    )
    sessions = events.filter(
        type__in=SESSION_PAID_TYPES, payload__data__object__payment_status="paid"
    ).filter(~_ledger_has(checkout_session_id=OuterRef("object_id")))
    invoices = (
        events.filter(type=INVOICE_PAID_TYPE, payload__data__object__status="paid")
        .exclude(payload__data__object__amount_paid=0)
        .filter(~_ledger_has(invoice_id=OuterRef("object_id")))
    )
    reported = [
        event
        for queryset in (sessions, invoices)
        for event in queryset.order_by("received_at", "pk")[: LISTED_PER_KIND * 2]
    ]
    object_ids = {event.object_id for event in reported}
    donations = {}
    for pk, session_id, invoice_id in Donation.objects.filter(
        Q(checkout_session_id__in=object_ids) | Q(invoice_id__in=object_ids)
    ).values_list("pk", "checkout_session_id", "invoice_id"):
        donations[session_id] = donations[invoice_id] = pk
    for event in reported:
        key = f"gift:{event.object_id}"
        if key in found:  # several events report the same payment
            continue
        obj = event.payload["data"]["object"]
        donation_pk = donations.get(event.object_id)
        found[key] = Item(
            kind=GIFT,
            key=key,
            facts={
                "stripe_id": event.object_id,
                "amount": int(obj.get("amount_total") or obj.get("amount_paid") or 0),
                "currency": str(obj.get("currency") or "").upper(),
                "donation": donation_pk is not None,
            },
            when=event.received_at,
            url_name="donation:inspect" if donation_pk else "stripeevent:inspect",
            url_args=(donation_pk or event.pk,),
        )
    items = sorted(found.values(), key=lambda item: (item.when, item.key))
    return items[:LISTED_PER_KIND], len(items)


def failed_mail(*, now: datetime.datetime) -> tuple[list[Item], int]:
    # Template, domain and dates only: the message is sealed (outbox.sealing), and
    # recipients are donors and signers, not the Board's.
    failed = OutboxMessage.objects.filter(status=OutboxMessage.Status.FAILED).order_by(
        "created_at", "pk"
    )
    items = [
        Item(
            kind=MAIL,
            key=f"mail:{message.message_id}",
            facts={"message": str(message)[:200], "attempts": message.attempts},
            when=message.created_at,
            url_name="outbox:inspect",
            url_args=(message.pk,),
        )
        for message in failed.only(
            "pk",
            "message_id",
            "template",
            "recipient_domains",
            "attempts",
            "created_at",
        )[:LISTED_PER_KIND]
    ]
    return items, failed.count()


def _mismatch_fingerprint(report: ReconciliationReport) -> str:
    facts = sorted(
        f"{m.get('kind')}:{m.get('id')}" for m in report.mismatches or []
    ) + [report.error.split(":")[0]]
    return hashlib.sha256("|".join(facts).encode()).hexdigest()[:12]


def reconciliation_problems(*, now: datetime.datetime) -> tuple[list[Item], int]:
    first_day = now.astimezone(datetime.UTC).date() - datetime.timedelta(
        days=settings.ATTENTION_RECONCILIATION_DAYS
    )
    reports = (
        ReconciliationReport.objects.filter(day__gte=first_day)
        .filter(Q(mismatch_count__gt=0) | ~Q(error=""))
        .order_by("day")
    )
    items = [
        Item(
            kind=RECONCILIATION,
            key=f"reconciliation:{report.day}:{_mismatch_fingerprint(report)}",
            facts={
                "day": report.day.isoformat(),
                "mismatches": report.mismatch_count,
                "error": report.error[:300],
            },
            when=report.checked_at,
            url_name="reconciliation_reports:inspect",
            url_args=(report.pk,),
        )
        for report in reports[:LISTED_PER_KIND]
    ]
    return items, reports.count()


def unfinished_repairs(*, now: datetime.datetime) -> tuple[list[Item], int]:
    tries = settings.ATTENTION_AFTER_TRIES
    recent = list(RepairRun.objects.order_by("-started_at", "-pk")[:200])
    if len(recent) < tries:
        return [], 0
    items = []
    last = recent[:tries]
    if not any(run.completed for run in last):
        streak = []
        for run in recent:
            if run.completed:
                break
            streak.append(run)
        first = streak[-1]
        items.append(
            Item(
                kind=REPAIR,
                key=f"repair:run:{first.pk}",
                facts={"runs": len(streak), "error": recent[0].error[:300]},
                when=first.started_at,
                url_name="repair_runs:inspect",
                url_args=(recent[0].pk,),
            )
        )
    else:
        failing = None
        for run in last:
            objects = {(f["kind"], f["id"]) for f in run.failures if f.get("id")}
            failing = objects if failing is None else failing & objects
        errors = {(f["kind"], f["id"]): f["error"] for f in last[0].failures}
        for kind, object_id in sorted(failing or ()):
            items.append(
                Item(
                    kind=REPAIR,
                    key=f"repair:{kind}:{object_id}",
                    facts={
                        "object_kind": kind,
                        "object_id": object_id,
                        "runs": tries,
                        "error": errors.get((kind, object_id), "")[:300],
                    },
                    when=last[-1].started_at,
                    url_name="repair_runs:inspect",
                    url_args=(last[0].pk,),
                )
            )
    return items[:LISTED_PER_KIND], len(items)


def overdue_reconciliation(*, now: datetime.datetime) -> tuple[list[Item], int]:
    from donations.stripe.client import is_configured

    if not is_configured():  # nothing to reconcile with
        return [], 0
    window = now - datetime.timedelta(hours=settings.ATTENTION_RECONCILIATION_HOURS)
    # The nightly check at a moment T covers the days up to the day before T.
    recent_day = window.astimezone(datetime.UTC).date() - datetime.timedelta(days=1)
    successful = ReconciliationReport.objects.filter(error="")
    if successful.filter(checked_at__gte=window, day__gte=recent_day).exists():
        return [], 0
    latest = successful.order_by("-checked_at").first()
    last_checked = latest.checked_at if latest else None
    item = Item(
        kind=STALE,
        key=f"stale:{last_checked.isoformat() if last_checked else 'never'}",
        facts={
            "hours": settings.ATTENTION_RECONCILIATION_HOURS,
            "last_day": latest.day.isoformat() if latest else "",
        },
        when=last_checked,
        url_name="reconciliation_check",
    )
    return [item], 1


READS: tuple[tuple[str, Callable[..., tuple[list[Item], int]]], ...] = (
    (EVENT, failing_events),
    (GIFT, unrecorded_gifts),
    (MAIL, failed_mail),
    (RECONCILIATION, reconciliation_problems),
    (REPAIR, unfinished_repairs),
    (STALE, overdue_reconciliation),
)


def attention(*, now: datetime.datetime | None = None) -> Attention:
    """Everything that needs the Board's attention now."""
    now = now or timezone.now()
    groups = []
    for kind, read in READS:
        items, total = read(now=now)
        if total:
            groups.append(Group(kind=kind, items=items, total=total))
    return Attention(groups=groups, checked_at=now)


# --- Wording ----------------------------------------------------------------------


def _event_words(facts) -> tuple[str, str]:
    summary = f"{facts['type']} {facts['event_id']}"
    tried = ngettext(
        "Tried %(count)d time", "Tried %(count)d times", facts["attempts"]
    ) % {"count": facts["attempts"]}
    state = (
        _("given up: process it again from the Stripe events.")
        if facts["failed"]
        else _("still being retried.")
    )
    detail = f"{tried}, {state}"
    if facts["error"]:
        detail += " " + _("Last error: %(error)s") % {"error": facts["error"]}
    return summary, detail


def _gift_words(facts) -> tuple[str, str]:
    amount = (
        format_money(facts["amount"], facts["currency"]) if facts["currency"] else ""
    )
    summary = " ".join(part for part in (amount, facts["stripe_id"]) if part)
    detail = (
        _("Stripe has it as paid; the ledger has no posting for it.")
        if facts["donation"]
        else _("Stripe has it as paid; no donation of ours matches it.")
    )
    return summary, detail


def _mail_words(facts) -> tuple[str, str]:
    detail = ngettext(
        "Failed for good after %(count)d attempt; an administrator can send it "
        "again from Settings → Outgoing email.",
        "Failed for good after %(count)d attempts; an administrator can send it "
        "again from Settings → Outgoing email.",
        facts["attempts"],
    ) % {"count": facts["attempts"]}
    return facts["message"], detail


def _reconciliation_words(facts) -> tuple[str, str]:
    if facts["error"]:
        detail = _("Could not be checked: %(error)s") % {"error": facts["error"]}
    else:
        detail = ngettext(
            "%(count)d mismatch between Stripe and the ledger.",
            "%(count)d mismatches between Stripe and the ledger.",
            facts["mismatches"],
        ) % {"count": facts["mismatches"]}
    return facts["day"], detail


def _repair_words(facts) -> tuple[str, str]:
    if "object_id" in facts:
        summary = f"{facts['object_kind']} {facts['object_id']}"
        detail = ngettext(
            "Not repaired in the last %(count)d run: %(error)s",
            "Not repaired in any of the last %(count)d runs: %(error)s",
            facts["runs"],
        ) % {"count": facts["runs"], "error": facts["error"]}
        return summary, detail
    summary = ngettext(
        "The last repair run could not finish.",
        "The last %(count)d repair runs could not finish.",
        facts["runs"],
    ) % {"count": facts["runs"]}
    return summary, facts["error"]


def _stale_words(facts) -> tuple[str, str]:
    summary = ngettext(
        "No successful reconciliation in the last %(count)d hour.",
        "No successful reconciliation in the last %(count)d hours.",
        facts["hours"],
    ) % {"count": facts["hours"]}
    if facts["last_day"]:
        detail = _("The latest successful check was of %(day)s.") % {
            "day": facts["last_day"]
        }
    else:
        detail = _("No reconciliation has succeeded yet.")
    return summary, detail


SUMMARIES: dict[str, Callable[[dict], tuple[str, str]]] = {
    EVENT: _event_words,
    GIFT: _gift_words,
    MAIL: _mail_words,
    RECONCILIATION: _reconciliation_words,
    REPAIR: _repair_words,
    STALE: _stale_words,
}
