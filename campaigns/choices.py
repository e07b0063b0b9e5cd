from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    WON = "won", _("Won")
    CLOSED = "closed", _("Closed")


class WhoMaySign(models.TextChoices):
    BOTH = "both", _("Organisations and individuals")
    ORGANISATIONS = "organisations", _("Organisations only")
    INDIVIDUALS = "individuals", _("Individuals only")


class SignerKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    INDIVIDUAL = "individual", _("Individual")


class SignatureStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for email confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    REMOVED = "removed", _("Removed by a moderator")
