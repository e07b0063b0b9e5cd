from .donation import Designation, Donation, Subscription
from .ledger import Account, LedgerLeg, LedgerTransaction
from .stripe_event import StripeEvent

__all__ = [
    "Account",
    "Designation",
    "Donation",
    "LedgerLeg",
    "LedgerTransaction",
    "StripeEvent",
    "Subscription",
]
