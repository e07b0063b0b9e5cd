from .allocation import Allocation, Disbursement, EntryStatus, Payee
from .annual import AnnualReceiptSent
from .attention import AttentionDigest, RepairRun
from .budget import BudgetCategory, CaseBudgetLine
from .donation import Designation, Donation, Subscription
from .donor import ManageLink, StripeCustomerErasure
from .ledger import (
    Account,
    AccountMonth,
    CasePaid,
    DisclosedMonth,
    Flow,
    LedgerLeg,
    LedgerMonth,
    LedgerTransaction,
)
from .reconciliation import ReconciliationReport
from .stripe_event import StripeEvent

__all__ = [
    "Account",
    "AccountMonth",
    "Allocation",
    "AnnualReceiptSent",
    "AttentionDigest",
    "BudgetCategory",
    "CaseBudgetLine",
    "CasePaid",
    "Designation",
    "Disbursement",
    "DisclosedMonth",
    "Donation",
    "EntryStatus",
    "Flow",
    "LedgerLeg",
    "LedgerMonth",
    "LedgerTransaction",
    "ManageLink",
    "Payee",
    "ReconciliationReport",
    "RepairRun",
    "StripeCustomerErasure",
    "StripeEvent",
    "Subscription",
]
