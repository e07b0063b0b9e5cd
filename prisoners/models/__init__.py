from .index_page import PrisonerIndexPage
from .prisoner_page import (
    AlternativeName,
    PaceCriterionEvidence,
    PrisonerPage,
    TimelineEvent,
)
from .snippets import CriminalArticle, DetentionPlace, Region
from .workflow import DifferentPersonApprovalTask

__all__ = [
    "AlternativeName",
    "CriminalArticle",
    "DetentionPlace",
    "DifferentPersonApprovalTask",
    "PaceCriterionEvidence",
    "PrisonerIndexPage",
    "PrisonerPage",
    "Region",
    "TimelineEvent",
]
