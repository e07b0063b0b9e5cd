"""What a member's money page reads. Five queries per member, whatever the number
of cases or entries; nothing here reads a donor, a purpose, a bank reference, an
invoice, or the name of a payee other than the member itself (that name is chosen
by the database, so other payees' names never leave it)."""

from __future__ import annotations

import datetime
import uuid
from dataclasses import dataclass, field

from django.db.models import Case, CharField, F, Value, When

from donations.dashboard.selectors import page_titles
from donations.models import (
    Allocation,
    BudgetCategory,
    CaseBudgetLine,
    Disbursement,
    EntryStatus,
)
from network.models import CaseHandling, Member


@dataclass(frozen=True)
class EntryLine:
    """One allocation or payment carried out by the member: when, what for, how
    much (a reversal takes away), where it stands; the payee only when it is the
    member itself."""

    day: datetime.date
    case_key: uuid.UUID
    category: str
    amount: int  # signed
    status: str
    status_label: str
    is_reversal: bool
    payee: str = ""

    @property
    def category_label(self) -> str:
        return str(BudgetCategory(self.category).label)


@dataclass
class CategoryFigures:
    category: str
    planned: int = 0
    allocated: int = 0  # approved, carried out by the member, net of reversals
    paid: int = 0

    @property
    def label(self) -> str:
        return str(BudgetCategory(self.category).label)

    @property
    def open(self) -> int:
        return self.allocated - self.paid


class SumOfParts:
    """Planned, allocated, paid and open as the sums of the parts' figures."""

    def parts(self):
        raise NotImplementedError

    def total(self, name: str) -> int:
        return sum(getattr(part, name) for part in self.parts())

    @property
    def planned(self) -> int:
        return self.total("planned")

    @property
    def allocated(self) -> int:
        return self.total("allocated")

    @property
    def paid(self) -> int:
        return self.total("paid")

    @property
    def open(self) -> int:
        return self.total("open")


@dataclass
class CaseMoney(SumOfParts):
    key: uuid.UUID
    title: str
    role: str
    categories: list[CategoryFigures] = field(default_factory=list)
    allocations: list[EntryLine] = field(default_factory=list)
    payments: list[EntryLine] = field(default_factory=list)

    def parts(self):
        return self.categories


@dataclass
class MemberMoney(SumOfParts):
    member: Member
    cases: list[CaseMoney]

    def parts(self):
        return self.cases


def _signed(amount: int, reverses_id) -> int:
    return -amount if reverses_id else amount


def member_money(member: Member) -> MemberMoney:
    """The cases `member` handles, each with its planned budget per category and
    the allocations and payments carried out by `member` on it."""
    handlings = list(
        CaseHandling.objects.filter(member=member).values_list("case_key", "role")
    )
    if not handlings:
        return MemberMoney(member=member, cases=[])
    keys = [key for key, _role in handlings]
    titles = page_titles("prisoners.PrisonerPage", keys)
    from network.choices import CaseRole

    roles = dict(CaseRole.choices)
    cases = {
        key: CaseMoney(
            key=key,
            title=titles.get(key, str(key)[:8]),
            role=str(roles.get(role, role)),
        )
        for key, role in handlings
    }
    figures: dict[tuple, CategoryFigures] = {}

    def figure(key, category) -> CategoryFigures:
        if (key, category) not in figures:
            figures[(key, category)] = CategoryFigures(category)
        return figures[(key, category)]

    for key, category, planned in CaseBudgetLine.objects.filter(
        case_key__in=keys
    ).values_list("case_key", "category", "planned_amount"):
        figure(key, category).planned += planned
    statuses = dict(EntryStatus.choices)
    ours = {"carried_out_by": member, "case_key__in": keys}
    for entry in (
        Allocation.objects.filter(**ours)
        .order_by("-drafted_at", "-pk")
        .values("drafted_at", "case_key", "category", "amount", "status", "reverses_id")
    ):
        amount = _signed(entry["amount"], entry["reverses_id"])
        if entry["status"] == EntryStatus.APPROVED:
            figure(entry["case_key"], entry["category"]).allocated += amount
        cases[entry["case_key"]].allocations.append(
            EntryLine(
                day=entry["drafted_at"].date(),
                case_key=entry["case_key"],
                category=entry["category"],
                amount=amount,
                status=entry["status"],
                status_label=str(statuses[entry["status"]]),
                is_reversal=entry["reverses_id"] is not None,
            )
        )
    payments = (
        Disbursement.objects.filter(**ours)
        .annotate(
            # Only the member's own name as payee: another payee (a lawyer, an
            # expert, another member) is never read.
            own_payee=Case(
                When(payee__member=member, then=F("payee__name")),
                default=Value(""),
                output_field=CharField(),
            )
        )
        .order_by("-paid_on", "-pk")
        .values(
            "paid_on", "case_key", "category", "amount", "status", "reverses_id",
            "own_payee",
        )
    )  # fmt: skip
    for entry in payments:
        amount = _signed(entry["amount"], entry["reverses_id"])
        if entry["status"] == EntryStatus.APPROVED:
            figure(entry["case_key"], entry["category"]).paid += amount
        cases[entry["case_key"]].payments.append(
            EntryLine(
                day=entry["paid_on"],
                case_key=entry["case_key"],
                category=entry["category"],
                amount=amount,
                status=entry["status"],
                status_label=str(statuses[entry["status"]]),
                is_reversal=entry["reverses_id"] is not None,
                payee=entry["own_payee"],
            )
        )
    order = {value: n for n, value in enumerate(BudgetCategory.values)}
    for (key, _category), line in sorted(
        figures.items(), key=lambda item: order.get(item[0][1], 99)
    ):
        cases[key].categories.append(line)
    return MemberMoney(
        member=member,
        cases=sorted(cases.values(), key=lambda c: c.title.lower()),
    )
