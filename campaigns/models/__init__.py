from .campaign_page import (
    CampaignIndexPage,
    CampaignPage,
    CampaignPrisoner,
    CampaignUpdate,
)
from .signature import Signature
from .statement_page import StatementIndexPage, StatementPage
from .theme import CampaignTheme

__all__ = [
    "CampaignIndexPage",
    "CampaignPage",
    "CampaignPrisoner",
    "CampaignTheme",
    "CampaignUpdate",
    "Signature",
    "StatementIndexPage",
    "StatementPage",
]
