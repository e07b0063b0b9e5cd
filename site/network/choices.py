from django.db import models
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    DOCUMENTATION = "documentation", _("Documentation")
    LEGAL_DEFENCE = "legal_defence", _("Legal defence")
    ASYLUM = "asylum", _("Asylum accompaniment")
    INTERPOL = "interpol", _("INTERPOL, CCF and extradition")
    FAMILY_SUPPORT = "family_support", _("Family support")
    ADVOCACY = "advocacy", _("Advocacy")


class WorkLanguage(models.TextChoices):
    UK = "uk", _("Ukrainian")
    EN = "en", _("English")
    RU = "ru", _("Russian")
    CRH = "crh", _("Crimean Tatar")
    PL = "pl", _("Polish")
    LT = "lt", _("Lithuanian")
    DE = "de", _("German")
    FR = "fr", _("French")


class CaseRole(models.TextChoices):
    DOCUMENTS = "documents", _("Documents the case")
    LEGAL_DEFENCE = "legal_defence", _("Legal defence")
    FAMILY_SUPPORT = "family_support", _("Family support")
    ADVOCACY = "advocacy", _("Advocacy")
    EXPERT_OPINION = "expert_opinion", _("Expert opinion")


class StaffKind(models.TextChoices):
    EDITORS = "editors", _("Editors")
    MODERATORS = "moderators", _("Moderators")
