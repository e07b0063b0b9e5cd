"""The Board's dashboard "by member": per current member organisation, what was
allocated to and paid for work it carries out, what it still has open, how many
cases it handles and how far their planned budgets are covered.

Read from the entries (`Allocation`, `Disbursement`: only they say which member
carries out the work), approved ones only, reversals taking away, so that the
figures of every member plus "no current member" equal the ledger's allocated
and paid. Four queries whatever the number of members, cases or entries.

- *Allocated* and *paid* are within the period (an allocation counts when it was
  posted, a payment in the month it was paid, as in the ledger).
- *Open* is allocated less paid up to the end of the period.
- *Cases* are those the member handles (`network.CaseHandling`), within the
  campaign or region filter.
- *Budget coverage* is what was allocated to the member's work on the cases it
  handles, up to the end of the period, divided by those cases' planned budgets.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, Exists, F, OuterRef, Q, Sum, When

from donations.dashboard.selectors import Filters, _case_keys, _utc, current_month
from donations.models import Allocation, CaseBudgetLine, Disbursement, EntryStatus
from network.models import CaseHandling, Member


@dataclass
class MemberRow:
    member_id: int | None  # None: not carried out by a current member
    name: str
    slug: str = ""
    allocated: int = 0  # in the period, net of reversals
    paid: int = 0  # in the period, net of reversals
    allocated_to_date: int = 0
    paid_to_date: int = 0
    allocated_on_handled: int = 0  # to date, on the cases it handles
    cases: int = 0
    planned: int = 0  # of the cases it handles

    @property
    def open(self) -> int:
        """Committed to its work and not yet paid, at the end of the period."""
        return self.allocated_to_date - self.paid_to_date

    @property
    def coverage(self) -> Decimal | None:
        """Allocated to its work on its cases / their planned budget; None with no
        budget."""
        if self.planned <= 0:
            return None
        return Decimal(self.allocated_on_handled) / Decimal(self.planned)


@dataclass
class MemberTable:
    rows: list[MemberRow]  # current members, by name
    others: MemberRow  # no member, or a member that has left

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in [*self.rows, self.others])

    # For the template, which cannot pass arguments.
    @property
    def total_allocated(self) -> int:
        return self.total("allocated")

    @property
    def total_paid(self) -> int:
        return self.total("paid")

    @property
    def total_open(self) -> int:
        return self.total("open")


def _signed():
    return Case(When(reverses=None, then=F("amount")), default=-F("amount"))


def _entries(model, filters: Filters, keys):
    entries = model.objects.filter(status=EntryStatus.APPROVED)
    if keys is not None:
        entries = entries.filter(case_key__in=keys)
    if filters.category:
        entries = entries.filter(category=filters.category)
    return entries


def member_table(filters: Filters) -> MemberTable:
    """Every current member's figures, and the rest together, for the filter."""
    keys = _case_keys(filters)
    members = list(Member.objects.current().order_by("name"))
    rows = {m.pk: MemberRow(m.pk, m.name, m.slug) for m in members}
    from django.utils.translation import gettext as _

    others = MemberRow(None, _("No current member"))

    def row_for(member_id) -> MemberRow:
        return rows.get(member_id, others)

    end = _utc(filters.end_exclusive)
    start = _utc(filters.start) if filters.start else None
    handled = CaseHandling.objects.filter(
        member_id=OuterRef("carried_out_by_id"), case_key=OuterRef("case_key")
    )
    if filters.end < current_month():
        posted = Q(ledger_transaction__occurred_at__lt=end)
    else:
        # Approvals are posted when they are made, so a period that runs to this
        # month holds every posting: no join with every ledger transaction (a
        # million rows scanned for a few thousand allocations).
        posted = Q(ledger_transaction__isnull=False)
    in_period = posted & (
        Q(ledger_transaction__occurred_at__gte=start) if start else Q()
    )
    allocations = (
        _entries(Allocation, filters, keys)
        .annotate(handled=Exists(handled))
        .values("carried_out_by_id")
        .annotate(
            period=Sum(_signed(), filter=in_period),
            to_date=Sum(_signed(), filter=posted),
            on_handled=Sum(_signed(), filter=posted & Q(handled=True)),
        )
        .order_by()
    )
    for entry in allocations:
        row = row_for(entry["carried_out_by_id"])
        row.allocated += entry["period"] or 0
        row.allocated_to_date += entry["to_date"] or 0
        if row is not others:
            row.allocated_on_handled += entry["on_handled"] or 0
    # A payment is posted at noon (UTC) on the day it was paid: its month is the
    # month of `paid_on`, without a join.
    paid_before = Q(paid_on__lt=filters.end_exclusive)
    paid_in = paid_before & (Q(paid_on__gte=filters.start) if filters.start else Q())
    payments = (
        _entries(Disbursement, filters, keys)
        .values("carried_out_by_id")
        .annotate(
            period=Sum(_signed(), filter=paid_in),
            to_date=Sum(_signed(), filter=paid_before),
        )
        .order_by()
    )
    for entry in payments:
        row = row_for(entry["carried_out_by_id"])
        row.paid += entry["period"] or 0
        row.paid_to_date += entry["to_date"] or 0
    handlings = CaseHandling.objects.filter(member__in=[m.pk for m in members])
    if keys is not None:
        handlings = handlings.filter(case_key__in=keys)
    pairs = list(handlings.values_list("member_id", "case_key"))
    budgets = CaseBudgetLine.objects.filter(case_key__in=handlings.values("case_key"))
    if filters.category:
        budgets = budgets.filter(category=filters.category)
    planned: dict[uuid.UUID, int] = dict(
        budgets.values("case_key")
        .annotate(total=Sum("planned_amount"))
        .order_by()
        .values_list("case_key", "total")
    )
    for member_id, case_key in pairs:
        rows[member_id].cases += 1
        rows[member_id].planned += planned.get(case_key, 0)
    return MemberTable(rows=list(rows.values()), others=others)
