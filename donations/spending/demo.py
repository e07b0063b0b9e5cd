"""Demo spending: case budgets, and how the Board committed and paid the demo gifts
over the six months before `donations.demo.ANCHOR`.

- Budget lines for 29 of the 35 invented people, across the nine categories, with
  plausible planned amounts (counsel in thousands of euros, translations in hundreds).
- Invented payees (every name says "Demo" or "Example"): lawyers' bureaus, an
  expert institute, translators, a litigation clinic, a parcel service.
- Allocations from the case funds that have money, from the campaign funds to the
  people those campaigns concern, and from the general fund; payments against them,
  some in hryvnias or zlotys with the amount paid in that currency.
- Four eyes throughout: board@example.org drafts most entries and
  treasurer@example.org approves them, and the other way round. Some entries await
  approval (each by the Board member who did not draft it), one allocation was
  rejected, one payment withdrawn by its author, one allocation partly reversed, and
  the general fund advanced a hearing's counsel beyond what it held: an overdraft the
  approver explicitly approved.
- Who carries out the work: an allocation for a case that a member handles names
  the member whose role fits the category (`CARRIED_OUT_BY_ROLE`: the legal-defence
  member carries out counsel, family support carries out parcels), so the Board's
  "by member" figures and each member's money page have something to show. Its
  payments and reversals inherit the member, as the services do. Members that are
  not public carry out work too; the public pages name only the members that chose
  to be named.

Everything goes through the services in `donations.spending.services`, so the entries, the
ledger, the roll-up and the audit log are exactly what Board members would have
made. The services date what they do with the current time; while the history is
replayed, each step runs with the clock set to its moment in the past (`_clock`),
so the ledger shows the allocations and payments in the months they happened.

Deterministic and idempotent: the plan below is fixed (dates relative to ANCHOR,
budgets from a fixed seed); each entry has a fixed public id (a uuid5, set right
after drafting), so a second run finds it and changes nothing. An amount never
exceeds what its fund had available at that moment; were the demo gifts ever to
leave too little, the entry is made smaller (or left out), never refused.
"""

import contextlib
import datetime
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone
from wagtail.models import ModelLogEntry

from donations.demo import ANCHOR, RATES
from donations.ledger import services as ledger
from donations.models import (
    Account,
    Allocation,
    BudgetCategory,
    CaseBudgetLine,
    Disbursement,
    EntryStatus,
    LedgerLeg,
    LedgerTransaction,
    Payee,
)
from donations.spending.services import (
    allocation_approve,
    allocation_draft,
    allocation_reversal_draft,
    allocation_unpaid,
    budget_line_set,
    disbursement_approve,
    disbursement_draft,
    entry_reject,
    entry_withdraw,
    fund_pending,
)
from network.choices import CaseRole
from network.models import CaseHandling, Member
from prisoners import choices
from prisoners.demo import PEOPLE

SEED = "solidarity-demo-spending"
_NAMESPACE = uuid.UUID("8d3e5b7a-1c2f-4e6d-9a0b-7f4c2e1d6a93")

# The two demo Board members (accounts.demo.DEMO_STAFF): one drafts, the other decides.
BOARD, TREASURER = "board@example.org", "treasurer@example.org"

# The fund an allocation draws on: the person's own, the general fund, or a
# campaign's (by its slug).
CASE, GENERAL = "case", "general"

# What happens to an entry after it is drafted.
APPROVE, OVERDRAFT, PENDING, REJECT, WITHDRAW = (
    "approve",
    "overdraft",  # approved with an explicit overdraft of the general fund
    "pending",
    "reject",
    "withdraw",
)

Cat = BudgetCategory

# --- Budgets ------------------------------------------------------------------------

# What a year of defence typically costs by the person's situation, in euros.
BUDGET_TEMPLATES: dict[str, dict[str, int]] = {
    "pretrial": {
        Cat.COUNSEL: 6000,
        Cat.EXPERT: 1200,
        Cat.TRANSLATION: 400,
        Cat.TRAVEL: 600,
        Cat.COURT_FEES: 200,
        Cat.PARCELS: 600,
        Cat.FAMILY: 1200,
    },
    "sentenced": {
        Cat.COUNSEL: 3000,
        Cat.ECHR_UN: 2500,
        Cat.TRANSLATION: 400,
        Cat.TRAVEL: 700,
        Cat.PARCELS: 1200,
        Cat.FAMILY: 1800,
    },
    "house_arrest": {
        Cat.COUNSEL: 4000,
        Cat.EXPERT: 900,
        Cat.TRANSLATION: 300,
        Cat.COURT_FEES: 200,
        Cat.FAMILY: 900,
    },
    "wanted_abroad": {
        Cat.COUNSEL: 4500,
        Cat.ASYLUM: 2500,
        Cat.TRANSLATION: 800,
        Cat.COURT_FEES: 300,
        Cat.TRAVEL: 500,
        Cat.ECHR_UN: 2000,
    },
    "disappeared": {
        Cat.ECHR_UN: 2500,
        Cat.COUNSEL: 1500,
        Cat.FAMILY: 1800,
        Cat.TRANSLATION: 300,
    },
    "deceased": {Cat.ECHR_UN: 3000, Cat.FAMILY: 2400, Cat.COUNSEL: 1500},
    "free": {  # released or exchanged
        Cat.FAMILY: 1500,
        Cat.TRAVEL: 500,
        Cat.ECHR_UN: 2000,
        Cat.TRANSLATION: 300,
    },
}
_SITUATION = {
    choices.Status.PRETRIAL: "pretrial",
    choices.Status.SENTENCED: "sentenced",
    choices.Status.HOUSE_ARREST: "house_arrest",
    choices.Status.WANTED_ABROAD: "wanted_abroad",
    choices.Status.DISAPPEARED: "disappeared",
    choices.Status.DECEASED: "deceased",
    choices.Status.RELEASED: "free",
    choices.Status.EXCHANGED: "free",
}
# People whose cases have no budget yet (most released people need none any more).
NO_BUDGET = frozenset(
    {
        "remzi-ibraimov",
        "viktor-tkachenko",
        "svitlana-horbenko",
        "mykola-savchuk",
        "yevhen-zinchenko",
        "oleksii-havryliuk",
    }
)
BUDGETS_SET = 200  # days before ANCHOR: the Board wrote the budgets in April

# --- Who carries out the work -----------------------------------------------------

# The roles whose member carries out what a category pays for, the most fitting
# first. A category with none of these roles on the case is carried out by no member
# (the Board pays the lawyer or the shop itself).
Role = CaseRole
CARRIED_OUT_BY_ROLE: dict[str, tuple[str, ...]] = {
    Cat.COUNSEL: (Role.LEGAL_DEFENCE,),
    Cat.COURT_FEES: (Role.LEGAL_DEFENCE,),
    Cat.EXPERT: (Role.EXPERT_OPINION, Role.LEGAL_DEFENCE),
    Cat.ECHR_UN: (Role.LEGAL_DEFENCE, Role.ADVOCACY, Role.DOCUMENTS),
    Cat.TRANSLATION: (Role.DOCUMENTS, Role.LEGAL_DEFENCE),
    Cat.ASYLUM: (Role.FAMILY_SUPPORT, Role.LEGAL_DEFENCE),
    Cat.TRAVEL: (Role.FAMILY_SUPPORT,),
    Cat.PARCELS: (Role.FAMILY_SUPPORT,),
    Cat.FAMILY: (Role.FAMILY_SUPPORT,),
}


def carried_out_by(
    *, handlings: dict, case_key: uuid.UUID, category: str
) -> Member | None:
    """The current member handling the case whose role best fits `category`, from
    `handlings` ({case key: {role: member}}); None if no member's role fits."""
    roles = handlings.get(case_key, {})
    for role in CARRIED_OUT_BY_ROLE.get(category, ()):
        member = roles.get(role)
        if member is not None and member.is_current:
            return member
    return None


def _load_handlings(case_keys) -> dict:
    handlings: dict = {}
    for handling in CaseHandling.objects.filter(case_key__in=case_keys).select_related(
        "member"
    ):
        handlings.setdefault(handling.case_key, {}).setdefault(
            handling.role, handling.member
        )
    return handlings


# --- Payees -------------------------------------------------------------------------

# key: (name, kind, country)
PAYEES: dict[str, tuple[str, str, str]] = {
    "counsel-pl": (
        "Example Extradition Counsel (Warsaw)",
        Payee.Kind.LAWYER,
        "Poland",
    ),
    "counsel-ua": ("Demo Defence Bureau (Kyiv)", Payee.Kind.LAWYER, "Ukraine"),
    "counsel-crimea": (
        "Example Crimean Defence Lawyers' Group",
        Payee.Kind.LAWYER,
        "Ukraine",
    ),
    "counsel-lt": (
        "Demo Human Rights Law Office (Vilnius)",
        Payee.Kind.LAWYER,
        "Lithuania",
    ),
    "counsel-intl": (
        "Example International Defence Counsel",
        Payee.Kind.LAWYER,
        "Germany",
    ),
    "clinic": (
        "Example Strasbourg Litigation Clinic",
        Payee.Kind.ORGANISATION,
        "France",
    ),
    "linguistics": (
        "Demo Institute of Forensic Linguistics",
        Payee.Kind.EXPERT,
        "Ukraine",
    ),
    "translator-ua": (
        "Demo Translation Bureau (Lviv)",
        Payee.Kind.TRANSLATOR,
        "Ukraine",
    ),
    "translator-pl": (
        "Example Sworn Translator (Kraków)",
        Payee.Kind.TRANSLATOR,
        "Poland",
    ),
    "parcels": ("Demo Parcel Service", Payee.Kind.ORGANISATION, "Lithuania"),
    "tickets": ("Example Rail & Coach Tickets", Payee.Kind.ORGANISATION, "Ukraine"),
    "rehab": ("Demo Rehabilitation Clinic", Payee.Kind.ORGANISATION, "Ukraine"),
    "family-a": ("Demo family support account A", Payee.Kind.PERSON, "Ukraine"),
    "family-b": ("Demo family support account B", Payee.Kind.PERSON, "Ukraine"),
    "refugees": (
        "Example Refugee Accompaniment Network",
        Payee.Kind.ORGANISATION,
        "Germany",
    ),
}
PAYEE_DETAILS = (
    "Invented for the demo: IBAN XX00 DEMO 0000 0000 0000 00, no real account."
)

# --- The plan -------------------------------------------------------------------


@dataclass(frozen=True)
class Grant:
    """An allocation, drafted `days` before ANCHOR and decided the next day."""

    key: str
    person: str  # slug
    category: str
    fund: str  # CASE, GENERAL or a campaign's slug
    euros: int
    purpose: str
    days: int
    decision: str = APPROVE
    by: str = BOARD  # who drafts; the other Board member decides
    note: str = ""


@dataclass(frozen=True)
class Payment:
    """A disbursement paid `days` before ANCHOR, recorded the next day and decided
    the day after; `euros` is the target, paid in `currency` at the demo rate."""

    key: str
    grant: str
    payee: str
    days: int
    euros: int
    currency: str = "EUR"
    decision: str = APPROVE
    by: str = BOARD


@dataclass(frozen=True)
class Return:
    """A reversal of part of an approved allocation, drafted `days` before ANCHOR."""

    key: str
    grant: str
    euros: int
    reason: str
    days: int
    decision: str = APPROVE
    by: str = BOARD


EXTRADITION = "no-extradition-for-dissent"
FAITH = "faith-is-not-terrorism"
JOURNALISM = "journalism-is-not-a-crime"
CIVILIANS = "bring-the-civilians-home"
BONDAR = "iryna-bondar-is-free"
BELARUS = "letters-to-belarus"

GRANTS: tuple[Grant, ...] = (
    # From the campaign funds, to the people each campaign is about.
    Grant("kazlou-counsel", "aliaksandr-kazlou", Cat.COUNSEL, EXTRADITION, 2400,
          "Counsel in the extradition proceedings, hearings from June", 151),
    Grant("orlov-echr", "denis-orlov", Cat.ECHR_UN, EXTRADITION, 1200,
          "Rule 39 request and application to the European Court against the "
          "extradition", 144, by=TREASURER),
    Grant("orlov-counsel", "denis-orlov", Cat.COUNSEL, EXTRADITION, 1000,
          "Counsel for the appeal against the extradition order", 114),
    Grant("abduraimov-translation", "eskender-abduraimov", Cat.TRANSLATION,
          EXTRADITION, 350, "Sworn translation of the extradition file", 75),
    Grant("orlov-asylum", "denis-orlov", Cat.ASYLUM, EXTRADITION, 500,
          "Accompanying a new asylum application after the refusal", 5,
          decision=PENDING, by=TREASURER),
    Grant("memetov-echr", "aider-memetov", Cat.ECHR_UN, FAITH, 900,
          "Application to the European Court on the fairness of the trial", 54),
    Grant("bekirova-expert", "zarema-bekirova", Cat.EXPERT, FAITH, 650,
          "Independent linguistic opinion on the posts in the indictment", 47,
          by=TREASURER),
    Grant("yakubov-un", "rustem-yakubov", Cat.ECHR_UN, FAITH, 200,
          "Follow-up communication to the UN Working Group on Enforced or "
          "Involuntary Disappearances", 4, decision=PENDING, by=TREASURER),
    Grant("kovalchuk-counsel", "olena-kovalchuk", Cat.COUNSEL, JOURNALISM, 1200,
          "Defence counsel at trial, October to December", 29),
    Grant("kurtumerov-counsel", "enver-kurtumerov", Cat.COUNSEL, JOURNALISM, 800,
          "Counsel for the cassation appeal", 11, by=TREASURER),
    Grant("kovalchuk-expert", "olena-kovalchuk", Cat.EXPERT, JOURNALISM, 500,
          "Expert opinion on the articles cited by the prosecution", 3,
          decision=PENDING),
    Grant("petrenko-echr", "serhii-petrenko", Cat.ECHR_UN, CIVILIANS, 1200,
          "Application to the European Court (Articles 3 and 5)", 139),
    Grant("lysenko-family", "oksana-lysenko", Cat.FAMILY, CIVILIANS, 600,
          "Support for her family: the children's school year", 123, by=TREASURER),
    Grant("oliinyk-translation", "dmytro-oliinyk", Cat.TRANSLATION, CIVILIANS, 400,
          "Translation of the case file for the UN Working Group on Arbitrary "
          "Detention", 88),
    Grant("oliinyk-travel", "dmytro-oliinyk", Cat.TRAVEL, CIVILIANS, 500,
          "Travel for his mother to the hearing in September", 87),
    Grant("oliinyk-counsel-general", "dmytro-oliinyk", Cat.COUNSEL, GENERAL, 600,
          "Counsel for the hearing in December", 60, decision=REJECT,
          note="The campaign fund of “Bring the civilians home” can pay for this; "
          "the general fund is kept for people no campaign covers."),
    Grant("oliinyk-counsel", "dmytro-oliinyk", Cat.COUNSEL, CIVILIANS, 600,
          "Counsel for the hearing in December", 58),
    Grant("bondar-family", "iryna-bondar", Cat.FAMILY, BONDAR, 1200,
          "Rehabilitation after her release: medical care and therapy", 165),
    Grant("bondar-echr", "iryna-bondar", Cat.ECHR_UN, BONDAR, 800,
          "Claim for just satisfaction before the European Court", 116,
          by=TREASURER),
    Grant("shyla-parcels", "andrei-shyla", Cat.PARCELS, BELARUS, 600,
          "Parcels and the prison shop, August to December", 90),
    Grant("hanna-counsel", "hanna-l", Cat.COUNSEL, BELARUS, 700,
          "Counsel during the house arrest", 83, by=TREASURER),
    # From the person's own fund, where gifts for their defence arrived.
    Grant("shyla-own-parcels", "andrei-shyla", Cat.PARCELS, CASE, 100,
          "A parcel in June, from the gifts for his defence", 151),
    Grant("kurtumerov-own-parcels", "enver-kurtumerov", Cat.PARCELS, CASE, 50,
          "Warm clothes for the colony", 123),
    Grant("lysenko-own-parcels", "oksana-lysenko", Cat.PARCELS, CASE, 40,
          "A parcel in July", 109, by=TREASURER),
    Grant("pavliuk-own-parcels", "kateryna-pavliuk", Cat.PARCELS, CASE, 100,
          "Parcels and the prison shop, August", 83),
    Grant("bekirova-own-translation", "zarema-bekirova", Cat.TRANSLATION, CASE, 60,
          "Translation of the decision extending her house arrest", 30),
    Grant("kovalchuk-own-parcels", "olena-kovalchuk", Cat.PARCELS, CASE, 100,
          "Parcels to the detention centre, autumn", 22),
    Grant("petrenko-own-parcels", "serhii-petrenko", Cat.PARCELS, CASE, 100,
          "Parcels to the colony, autumn", 20, by=TREASURER),
    Grant("memetov-own-family", "aider-memetov", Cat.FAMILY, CASE, 110,
          "Support for his family", 18),
    # From the general fund, for people no campaign covers.
    Grant("marchenko-parcels", "petro-marchenko", Cat.PARCELS, GENERAL, 150,
          "Parcels to the colony, summer", 134),
    Grant("romaniuk-un", "nataliia-romaniuk", Cat.ECHR_UN, GENERAL, 200,
          "Communication to the UN Working Group on Enforced or Involuntary "
          "Disappearances", 81, by=TREASURER),
    Grant("hnatiuk-counsel", "taras-hnatiuk", Cat.COUNSEL, GENERAL, 800,
          "Counsel for the hearing on 2 December: no campaign covers him yet, so "
          "the general fund advances it", 12, decision=OVERDRAFT,
          note="Overdraft approved: the hearing cannot wait for the next gifts."),
)  # fmt: skip

PAYMENTS: tuple[Payment, ...] = (
    Payment("kazlou-counsel-1", "kazlou-counsel", "counsel-pl", 129, 800, "PLN"),
    Payment("kazlou-counsel-2", "kazlou-counsel", "counsel-pl", 65, 800, "PLN",
            by=TREASURER),
    Payment("kazlou-counsel-3", "kazlou-counsel", "counsel-pl", 5, 800, "PLN",
            decision=PENDING, by=TREASURER),
    Payment("orlov-echr-1", "orlov-echr", "clinic", 124, 900),
    Payment("orlov-counsel-1", "orlov-counsel", "counsel-intl", 88, 600),
    Payment("abduraimov-translation-1", "abduraimov-translation", "translator-pl",
            62, 350, "PLN"),
    Payment("memetov-echr-1", "memetov-echr", "clinic", 26, 450, by=TREASURER),
    Payment("bekirova-expert-1", "bekirova-expert", "linguistics", 30, 650, "UAH"),
    Payment("kovalchuk-counsel-1", "kovalchuk-counsel", "counsel-ua", 17, 450, "UAH"),
    Payment("kovalchuk-counsel-2", "kovalchuk-counsel", "counsel-ua", 4, 450, "UAH",
            decision=PENDING, by=TREASURER),
    Payment("kurtumerov-counsel-1", "kurtumerov-counsel", "counsel-crimea", 6, 400),
    Payment("petrenko-echr-1", "petrenko-echr", "clinic", 79, 800),
    Payment("lysenko-family-1", "lysenko-family", "family-a", 113, 200, "UAH"),
    Payment("lysenko-family-2", "lysenko-family", "family-a", 82, 200, "UAH"),
    Payment("lysenko-family-3", "lysenko-family", "family-a", 51, 200, "UAH",
            by=TREASURER),
    Payment("oliinyk-translation-1", "oliinyk-translation", "translator-ua", 68, 400,
            "UAH"),
    Payment("oliinyk-travel-1", "oliinyk-travel", "tickets", 73, 180),
    Payment("oliinyk-counsel-1", "oliinyk-counsel", "counsel-ua", 23, 300, "UAH"),
    Payment("bondar-family-1", "bondar-family", "rehab", 142, 400),
    Payment("bondar-family-2", "bondar-family", "rehab", 81, 400, by=TREASURER),
    Payment("bondar-echr-1", "bondar-echr", "clinic", 44, 500),
    Payment("shyla-parcels-1", "shyla-parcels", "parcels", 79, 150),
    Payment("shyla-parcels-2", "shyla-parcels", "parcels", 48, 150),
    # The same payment recorded twice by mistake; its author withdrew the copy.
    Payment("shyla-parcels-2-copy", "shyla-parcels", "parcels", 48, 150,
            decision=WITHDRAW),
    Payment("shyla-parcels-3", "shyla-parcels", "parcels", 18, 150, by=TREASURER),
    Payment("hanna-counsel-1", "hanna-counsel", "counsel-lt", 57, 350),
    Payment("shyla-own-parcels-1", "shyla-own-parcels", "parcels", 144, 100),
    Payment("kurtumerov-own-parcels-1", "kurtumerov-own-parcels", "parcels", 116, 50),
    Payment("lysenko-own-parcels-1", "lysenko-own-parcels", "parcels", 104, 40),
    Payment("pavliuk-own-parcels-1", "pavliuk-own-parcels", "parcels", 73, 95),
    Payment("bekirova-own-translation-1", "bekirova-own-translation",
            "translator-ua", 24, 60, "UAH"),
    Payment("kovalchuk-own-parcels-1", "kovalchuk-own-parcels", "parcels", 12, 60),
    Payment("petrenko-own-parcels-1", "petrenko-own-parcels", "parcels", 4, 80,
            decision=PENDING),
    Payment("memetov-own-family-1", "memetov-own-family", "family-b", 12, 110, "UAH"),
    Payment("marchenko-parcels-1", "marchenko-parcels", "parcels", 121, 150),
    Payment("romaniuk-un-1", "romaniuk-un", "clinic", 61, 200),
    Payment("hnatiuk-counsel-1", "hnatiuk-counsel", "counsel-ua", 6, 400, "UAH"),
)  # fmt: skip

RETURNS: tuple[Return, ...] = (
    Return("oliinyk-travel-back", "oliinyk-travel", 250,
           "The hearing was postponed to December; what the trip did not need goes "
           "back to the campaign fund.", 66, by=TREASURER),
)  # fmt: skip

# Hryvnias are paid in whole hundreds, zlotys in whole tens.
_ROUND_TO = {"UAH": 100, "PLN": 10}


# --- Pure helpers ---------------------------------------------------------------


def public_id(kind: str, key: str) -> uuid.UUID:
    """The fixed public id of a demo entry (kind: "allocation" or "disbursement")."""
    return uuid.uuid5(_NAMESPACE, f"demo-{kind}:{key}")


def demo_public_ids() -> dict[str, list[uuid.UUID]]:
    """Every demo entry's public id, by model."""
    return {
        "allocations": [public_id("allocation", g.key) for g in GRANTS]
        + [public_id("allocation", r.key) for r in RETURNS],
        "disbursements": [public_id("disbursement", p.key) for p in PAYMENTS],
    }


def demo_budgets() -> dict[str, dict[str, int]]:
    """Planned amounts in euros by person and category: a template for the person's
    situation, varied by a fixed seed, and never below what the plan allocates."""
    rng = random.Random(SEED)
    planned_grants: dict[tuple[str, str], int] = {}
    for grant in GRANTS:
        if grant.decision != REJECT:
            slot = (grant.person, grant.category)
            planned_grants[slot] = planned_grants.get(slot, 0) + grant.euros
    budgets = {}
    for person in PEOPLE:
        if person.slug in NO_BUDGET:
            continue
        template = BUDGET_TEMPLATES[_SITUATION[person.status]]
        lines = {}
        for index, (category, euros) in enumerate(template.items()):
            keep = rng.random()
            factor = Decimal(rng.randrange(70, 141)) / 100
            allocated = planned_grants.get((person.slug, category), 0)
            if index and keep < 0.15 and not allocated:
                continue  # not every case needs every category
            amount = _round_up(int(euros * factor), 50)
            lines[str(category)] = max(amount, _round_up(allocated * 5 // 4, 50))
        for (slug, category), allocated in planned_grants.items():
            if slug == person.slug and str(category) not in lines:
                lines[str(category)] = _round_up(allocated * 3 // 2, 50)
        budgets[person.slug] = lines
    return budgets


def _round_up(value: int, step: int) -> int:
    return -(-value // step) * step


def _in_currency(cents: int, currency: str) -> tuple[int, int | None]:
    """(euro cents, amount paid in `currency`'s minor units) for a payment of at
    most `cents` made in `currency` at the demo rate."""
    if currency == "EUR":
        return cents, None
    rate, step = RATES[currency], _ROUND_TO[currency]
    units = int(Decimal(cents) / 100 / rate) // step * step
    original = units * 100
    euros = int((Decimal(original) * rate).quantize(Decimal(1), ROUND_HALF_UP))
    return euros, original


def _day(days: int) -> datetime.date:
    return ANCHOR.date() - datetime.timedelta(days=days)


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(
        _day(days), datetime.time(hour, minute), datetime.UTC
    )


@contextlib.contextmanager
def _clock(moment: datetime.datetime):
    """Let `timezone.now()` (and so `localdate()`, auto-dated fields and the audit
    log) read `moment` while a step of the demo history is replayed. Only for this
    loader, which runs alone in a management command with DEBUG on."""
    real_now = timezone.now
    timezone.now = lambda: moment
    try:
        yield
    finally:
        timezone.now = real_now


# --- Loading --------------------------------------------------------------------


@dataclass(order=True)
class _Step:
    moment: datetime.datetime
    order: int
    run: Callable[[], None] = field(compare=False)


class _Replay:
    """Replays the plan in the order it happened, drafting what is missing."""

    def __init__(self, *, users, cases, payees, handlings):
        self.users = users
        self.cases = cases
        self.payees = payees
        self.handlings = handlings
        self.allocations: dict[str, Allocation] = {}
        self.disbursements: dict[str, Disbursement] = {}
        self.fresh: set[str] = set()  # drafted in this run: decide them too

    def other(self, email: str):
        return self.users[TREASURER if email == BOARD else BOARD]

    def steps(self) -> list[_Step]:
        steps = []

        def add(moment, run):
            steps.append(_Step(moment, len(steps), run))

        for grant in GRANTS:
            add(_at(grant.days, 10), lambda g=grant: self.draft_grant(g))
            if grant.decision != PENDING:
                add(_at(grant.days - 1, 15), lambda g=grant: self.decide_grant(g))
        for payment in PAYMENTS:
            add(_at(payment.days - 1, 10, 30), lambda p=payment: self.draft_payment(p))
            if payment.decision == WITHDRAW:
                add(_at(payment.days - 1, 13), lambda p=payment: self.decide_payment(p))
            elif payment.decision != PENDING:
                add(_at(payment.days - 2, 16), lambda p=payment: self.decide_payment(p))
        for back in RETURNS:
            add(_at(back.days, 11), lambda r=back: self.draft_return(r))
            if back.decision != PENDING:
                add(_at(back.days - 1, 11), lambda r=back: self.decide_return(r))
        return sorted(steps)

    def run(self) -> None:
        for step in self.steps():
            with _clock(step.moment):
                step.run()

    # Allocations

    def _existing_allocation(self, key: str) -> Allocation | None:
        found = Allocation.objects.filter(
            public_id=public_id("allocation", key)
        ).first()
        if found is not None:
            self.allocations[key] = found
        return found

    def draft_grant(self, grant: Grant) -> None:
        if self._existing_allocation(grant.key):
            return
        case = self.cases.get(grant.person)
        if case is None:
            return
        fund = self.fund(grant.fund, case)
        if fund is None:
            return
        amount = grant.euros * 100
        if grant.decision in (APPROVE, PENDING):
            amount = _fitting(amount, _room(fund))
        if amount is None:
            return
        allocation = allocation_draft(
            fund=fund,
            case=case,
            category=grant.category,
            amount=amount,
            purpose=grant.purpose,
            drafted_by=self.users[grant.by],
            carried_out_by=carried_out_by(
                handlings=self.handlings,
                case_key=case.translation_key,
                category=grant.category,
            ),
        )
        self.allocations[grant.key] = _fix_public_id(
            allocation, public_id("allocation", grant.key)
        )
        self.fresh.add(f"allocation:{grant.key}")

    def decide_grant(self, grant: Grant) -> None:
        if f"allocation:{grant.key}" not in self.fresh:
            return
        self.allocations[grant.key] = _decide(
            self.allocations[grant.key],
            grant.decision,
            drafter=self.users[grant.by],
            decider=self.other(grant.by),
            note=grant.note,
        )

    def draft_return(self, back: Return) -> None:
        if self._existing_allocation(back.key):
            return
        original = self.allocations.get(back.grant)
        if original is None or original.status != EntryStatus.APPROVED:
            return
        amount = min(back.euros * 100, allocation_unpaid(original, with_pending=True))
        if amount <= 0:
            return
        reversal = allocation_reversal_draft(
            allocation=original,
            amount=amount,
            reason=back.reason,
            drafted_by=self.users[back.by],
        )
        self.allocations[back.key] = _fix_public_id(
            reversal, public_id("allocation", back.key)
        )
        self.fresh.add(f"allocation:{back.key}")

    def decide_return(self, back: Return) -> None:
        if f"allocation:{back.key}" not in self.fresh:
            return
        self.allocations[back.key] = _decide(
            self.allocations[back.key],
            back.decision,
            drafter=self.users[back.by],
            decider=self.other(back.by),
        )

    # Payments

    def draft_payment(self, payment: Payment) -> None:
        fixed = public_id("disbursement", payment.key)
        found = Disbursement.objects.filter(public_id=fixed).first()
        if found is not None:
            self.disbursements[payment.key] = found
            return
        allocation = self.allocations.get(payment.grant)
        if allocation is None or allocation.status != EntryStatus.APPROVED:
            return
        left = allocation_unpaid(allocation, with_pending=True)
        amount, original = _in_currency(
            min(payment.euros * 100, left), payment.currency
        )
        if amount <= 0:
            return
        paid_on = _day(payment.days)
        disbursement = disbursement_draft(
            allocation=allocation,
            payee=self.payees[payment.payee],
            paid_on=paid_on,
            amount=amount,
            original_currency=payment.currency if original else "",
            original_amount=original,
            reference=f"DEMO/{paid_on:%Y}/{PAYMENTS.index(payment) + 1:03}",
            drafted_by=self.users[payment.by],
        )
        self.disbursements[payment.key] = _fix_public_id(disbursement, fixed)
        self.fresh.add(f"disbursement:{payment.key}")

    def decide_payment(self, payment: Payment) -> None:
        if f"disbursement:{payment.key}" not in self.fresh:
            return
        self.disbursements[payment.key] = _decide(
            self.disbursements[payment.key],
            payment.decision,
            drafter=self.users[payment.by],
            decider=self.other(payment.by),
        )

    def fund(self, name: str, case) -> Account | None:
        if name == CASE:
            return ledger.fund_account(
                fund_type=Account.FundType.CASE, subject_key=case.translation_key
            )
        if name == GENERAL:
            return ledger.fund_account(fund_type=Account.FundType.GENERAL)
        from campaigns.models import CampaignPage

        key = (
            CampaignPage.objects.filter(slug=name, locale=case.locale)
            .values_list("translation_key", flat=True)
            .first()
        )
        if key is None:  # no such campaign: never fall back to the general fund
            return None
        return ledger.fund_account(fund_type=Account.FundType.CAMPAIGN, subject_key=key)


def _decide(entry, decision: str, *, drafter, decider, note: str = ""):
    if decision == APPROVE or decision == OVERDRAFT:
        if isinstance(entry, Allocation):
            return allocation_approve(
                allocation=entry,
                approver=decider,
                approve_overdraft=decision == OVERDRAFT,
                note=note,
            )
        return disbursement_approve(disbursement=entry, approver=decider, note=note)
    if decision == REJECT:
        return entry_reject(entry=entry, approver=decider, note=note)
    if decision == WITHDRAW:
        return entry_withdraw(entry=entry, user=drafter)
    return entry


def _fix_public_id(entry, fixed: uuid.UUID):
    """Give a just-drafted entry its fixed public id (and its audit-log line the
    label that goes with it), before anything refers to the id."""
    type(entry).objects.filter(pk=entry.pk).update(public_id=fixed)
    entry.public_id = fixed
    ModelLogEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(entry),
        object_id=str(entry.pk),
    ).update(label=str(entry))
    return entry


def _available_on(fund: Account, moment: datetime.datetime) -> int:
    """`ledger.fund_available` as it stood at `moment`."""
    wanted = Q(account__fund_type=fund.fund_type)
    if fund.fund_type != Account.FundType.GENERAL:
        wanted &= Q(account__subject_key=fund.subject_key)
    total = LedgerLeg.objects.filter(
        wanted,
        account__kind__in=ledger.FUND_KINDS,
        transaction__occurred_at__lte=moment,
    ).aggregate(total=Sum("amount"))["total"]
    return -(total or 0)


def _room(fund: Account) -> int:
    """What may still be committed from `fund` now (the replay's now): what it
    held then and holds today, less what awaits approval."""
    now = timezone.now()
    return min(_available_on(fund, now), ledger.fund_available(fund)) - fund_pending(
        fund
    )


def _fitting(amount: int, room: int) -> int | None:
    """`amount`, or what fits in `room` in whole tens of euros; None if too little."""
    if amount <= room:
        return amount
    fitting = room // 1000 * 1000
    return fitting if fitting >= 1000 else None


def _name_carriers(handlings: dict) -> None:
    """Name the member on demo entries drafted before the demo said who carries out
    the work (a database loaded by an older demo), as the services would have at
    drafting: the allocation by its case's member, its reversals and payments by the
    allocation's. Only entries with no member are touched, so a second run changes
    nothing; nothing of the ledger depends on the field."""
    ids = demo_public_ids()
    unnamed = Allocation.objects.filter(
        public_id__in=ids["allocations"], carried_out_by=None
    )
    for allocation in unnamed.filter(reverses=None):
        member = carried_out_by(
            handlings=handlings,
            case_key=allocation.case_key,
            category=allocation.category,
        )
        if member is not None:
            Allocation.objects.filter(pk=allocation.pk).update(carried_out_by=member)
    for reversal in unnamed.exclude(reverses=None).select_related("reverses"):
        if reversal.reverses.carried_out_by_id:
            Allocation.objects.filter(pk=reversal.pk).update(
                carried_out_by_id=reversal.reverses.carried_out_by_id
            )
    payments = Disbursement.objects.filter(
        public_id__in=ids["disbursements"], carried_out_by=None, payee__member=None
    ).select_related("allocation")
    for payment in payments:
        if payment.allocation.carried_out_by_id:
            Disbursement.objects.filter(pk=payment.pk).update(
                carried_out_by_id=payment.allocation.carried_out_by_id
            )


def _board_users() -> dict:
    User = get_user_model()
    users = {
        email: User.objects.filter(email=email).first() for email in (BOARD, TREASURER)
    }
    missing = [email for email, user in users.items() if user is None]
    if missing:
        raise RuntimeError(
            "Load the demo staff (accounts.demo.load_demo_staff) before the demo "
            f"spending; missing: {', '.join(missing)}."
        )
    return users


def _load_payees() -> dict[str, Payee]:
    return {
        key: Payee.objects.get_or_create(
            name=name,
            defaults={"kind": kind, "country": country, "details": PAYEE_DETAILS},
        )[0]
        for key, (name, kind, country) in PAYEES.items()
    }


def _load_budgets(cases, user) -> None:
    with _clock(_at(BUDGETS_SET, 9)):
        for slug, lines in demo_budgets().items():
            case = cases.get(slug)
            if case is None:
                continue
            for category, euros in lines.items():
                if CaseBudgetLine.objects.filter(
                    case_key=case.translation_key, category=category
                ).exists():
                    continue  # already set (perhaps since changed by someone)
                budget_line_set(
                    case=case, category=category, planned_amount=euros * 100, user=user
                )


def load_spending() -> dict:
    """The demo budgets, payees, allocations and payments. Returns counts for a
    message. Needs the demo people, gifts and Board members loaded first."""
    from prisoners.models import PrisonerPage

    with transaction.atomic():
        before = LedgerTransaction.objects.count()
        users = _board_users()
        cases = {
            page.slug: page
            for page in PrisonerPage.objects.filter(
                locale__language_code="uk", slug__in=[p.slug for p in PEOPLE]
            ).select_related("locale")
        }
        payees = _load_payees()
        _load_budgets(cases, users[BOARD])
        handlings = _load_handlings([page.translation_key for page in cases.values()])
        _Replay(users=users, cases=cases, payees=payees, handlings=handlings).run()
        _name_carriers(handlings)
        posted = LedgerTransaction.objects.count() - before
    ids = demo_public_ids()
    allocations = Allocation.objects.filter(public_id__in=ids["allocations"])
    disbursements = Disbursement.objects.filter(public_id__in=ids["disbursements"])
    case_keys = [page.translation_key for page in cases.values()]
    return {
        "budgets": CaseBudgetLine.objects.filter(case_key__in=case_keys)
        .values("case_key")
        .distinct()
        .count(),
        "budget_lines": CaseBudgetLine.objects.filter(case_key__in=case_keys).count(),
        "payees": len(payees),
        "allocations": allocations.count(),
        "disbursements": disbursements.count(),
        "pending": allocations.filter(status=EntryStatus.PENDING).count()
        + disbursements.filter(status=EntryStatus.PENDING).count(),
        "posted": posted,
    }
