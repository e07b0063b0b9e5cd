from django.db import models
from django.utils.translation import gettext_lazy as _


class GuideTopic(models.TextChoices):
    """What a guide helps with; the list groups and filters guides by it, in this
    order."""

    WRITING = "writing", _("Writing to prisoners")
    INTERPOL = "interpol", _("INTERPOL and the CCF (Red Notices)")
    EXTRADITION = "extradition", _("Extradition")
    ASYLUM = "asylum", _("Asylum")
    SCHENGEN = "schengen", _("Schengen SIS")
    FAMILIES = "families", _("For families")
    LAWYERS = "lawyers", _("For lawyers")


class DocumentLanguage(models.TextChoices):
    """The language a downloadable document is written in, which is often not the
    page's: a CCF request is filed in English, French, Spanish or Arabic."""

    UK = "uk", _("Ukrainian")
    EN = "en", _("English")
    RU = "ru", _("Russian")
    BE = "be", _("Belarusian")
    CRH = "crh", _("Crimean Tatar")
    FR = "fr", _("French")
    DE = "de", _("German")
    ES = "es", _("Spanish")
    AR = "ar", _("Arabic")
    MULTI = "mul", _("Several languages")
