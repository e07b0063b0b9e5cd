from .index_page import PrisonerIndexPage
from .prisoner_page import (
    AlternativeName,
    PaceCriterionEvidence,
    PrisonerPage,
    TimelineEvent,
)
from .register_import import ImportedProfile, RegisterImport
from .snippets import CriminalArticle, DetentionPlace, Region
from .workflow import DifferentPersonApprovalTask

__all__ = [
    "AlternativeName",
    "CriminalArticle",
    "DetentionPlace",
    "DifferentPersonApprovalTask",
    "ImportedProfile",
    "PaceCriterionEvidence",
    "PrisonerIndexPage",
    "PrisonerPage",
    "Region",
    "RegisterImport",
    "TimelineEvent",
]
