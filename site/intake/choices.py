"""What a reporter can tick: the fewest questions that let triage route a case."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Relation(models.TextChoices):
    SELF = "self", _("I am the person persecuted")
    RELATIVE = "relative", _("A relative or friend")
    LAWYER = "lawyer", _("Their lawyer")
    OTHER = "other", _("Someone else")


class PersecutedBy(models.TextChoices):
    STATE = "state", _("State authorities (police, security service)")
    COURT = "court", _("A court")
    INTERPOL = "interpol", _("An INTERPOL notice")
    EXTRADITION = "extradition", _("An extradition request")
    SIS = "sis", _("A Schengen (SIS) alert")
    OTHER = "other", _("Other")


class HelpNeeded(models.TextChoices):
    LAWYER = "lawyer", _("A lawyer")
    EXPERT = "expert", _("An expert opinion on the political motive")
    ASYLUM = "asylum", _("Asylum accompaniment")
    CCF = "ccf", _("A challenge at INTERPOL's CCF")
    FAMILY = "family", _("Support for the family")
    PUBLICITY = "publicity", _("Publicity")
