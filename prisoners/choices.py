"""The fixed vocabularies of a profile. Lists that grow (regions, articles, places)
are snippets instead (models/snippets.py)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    PRETRIAL = "pretrial", _("Detained before trial")
    SENTENCED = "sentenced", _("Sentenced")
    HOUSE_ARREST = "house_arrest", _("Under house arrest")
    RELEASED = "released", _("Released")
    EXCHANGED = "exchanged", _("Exchanged")
    DECEASED = "deceased", _("Deceased")
    DISAPPEARED = "disappeared", _("Disappeared")
    WANTED_ABROAD = "wanted_abroad", _("Wanted abroad")


class PersecutionType(models.TextChoices):
    CRIMINAL_CASE = "criminal_case", _("Criminal case")
    INTERPOL = "interpol", _("INTERPOL notice")
    SIS_ALERT = "sis_alert", _("Schengen (SIS) alert")
    EXTRADITION = "extradition", _("Extradition request")
    ASYLUM = "asylum", _("Asylum procedure")


class ProsecutingAuthority(models.TextChoices):
    RUSSIA = "russia", _("Russian Federation")
    OCCUPATION = "occupation", _("Occupation “authorities”")
    BELARUS = "belarus", _("Belarus")
    OTHER = "other", _("Other state")


class InterpolNotice(models.TextChoices):
    RED_NOTICE = "red_notice", _("Red Notice")
    DIFFUSION = "diffusion", _("Diffusion")


class CcfComplaint(models.TextChoices):
    NOT_FILED = "not_filed", _("No complaint filed")
    PENDING = "pending", _("Complaint pending")
    DATA_DELETED = "data_deleted", _("Data deleted after complaint")
    REJECTED = "rejected", _("Complaint rejected")


class ExtraditionStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    IN_COURT = "in_court", _("Before the courts")
    REFUSED = "refused", _("Refused")
    GRANTED = "granted", _("Granted")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class AsylumStatus(models.TextChoices):
    APPLIED = "applied", _("Applied")
    GRANTED = "granted", _("Granted")
    REFUSED = "refused", _("Refused")
    APPEAL = "appeal", _("On appeal")


class SentenceRegime(models.TextChoices):
    GENERAL = "general", _("General-regime colony")
    STRICT = "strict", _("Strict-regime colony")
    SPECIAL = "special", _("Special-regime colony")
    SETTLEMENT = "settlement", _("Colony-settlement")
    PRISON = "prison", _("Prison")
    SUSPENDED = "suspended", _("Suspended sentence")


class LetterLanguage(models.TextChoices):
    RUSSIAN = "ru", _("Russian only (censorship)")
    UKRAINIAN = "uk", _("Ukrainian")
    ANY = "any", _("Any language")


class PaceCriterion(models.TextChoices):
    """PACE Resolution 1900 (2012), paragraph 3."""

    A = "a", _("a. Violates a fundamental ECHR guarantee")
    B = "b", _("b. Purely political reasons, no offence")
    C = "c", _("c. Disproportionate length or conditions")
    D = "d", _("d. Discriminatory detention")
    E = "e", _("e. Clearly unfair proceedings")


class TimelineEventKind(models.TextChoices):
    ARREST = "arrest", _("Arrest")
    CHARGES = "charges", _("Charges")
    TRANSFER = "transfer", _("Transfer")
    HEARING = "hearing", _("Hearing")
    VERDICT = "verdict", _("Verdict")
    APPEAL = "appeal", _("Appeal")
    RELEASE = "release", _("Release")
    OTHER = "other", _("Other")


class ConsentGiver(models.TextChoices):
    PERSON = "person", _("The person")
    FAMILY = "family", _("Family")
    LAWYER = "lawyer", _("Lawyer")
    ORGANISATION = "organisation", _("Partner organisation")


class NameScript(models.TextChoices):
    UKRAINIAN = "uk", _("Ukrainian")
    RUSSIAN = "ru", _("Russian")
    CRIMEAN_TATAR = "crh", _("Crimean Tatar")
    LATIN = "latin", _("Latin transliteration")
    OTHER = "other", _("Other")
