"""The network's member organisations, the cases each handles, and the staff groups
through which their people reach the admin."""

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from .choices import Activity, CaseRole, StaffKind, WorkLanguage


class MemberQuerySet(models.QuerySet):
    def current(self):
        return self.filter(ended_on__isnull=True)

    def public(self):
        """The only members any public surface may name. A member that is not
        public (membership may itself be a crime where it works) or has left the
        network is never shown."""
        return self.current().filter(is_public=True)


class Member(models.Model):
    """One organisation of the network. Not translatable as a whole: its name is its
    own; what it does is written once per site language."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("address"), max_length=80, unique=True)
    logo = models.ForeignKey(
        "safeimages.SafeImage",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    country = CountryField(_("country"))
    activities = models.JSONField(_("what it does"), default=list, blank=True)
    work_languages = models.JSONField(_("works in"), default=list, blank=True)
    description_uk = models.TextField(_("about (Ukrainian)"), blank=True)
    description_en = models.TextField(_("about (English)"), blank=True)
    description_ru = models.TextField(_("about (Russian)"), blank=True)
    description_be = models.TextField(_("about (Belarusian)"), blank=True)
    description_crh = models.TextField(_("about (Crimean Tatar)"), blank=True)
    website = models.URLField(_("website"), blank=True, max_length=300)
    contact_email = models.EmailField(
        _("public contact"),
        blank=True,
        help_text=_("Shown on the member's page. Leave empty for none."),
    )
    joined_on = models.DateField(_("joined the network on"))
    is_public = models.BooleanField(
        _("shown publicly"),
        default=False,
        help_text=_(
            "Untick for a member whose membership would endanger it: it then appears "
            "on no public page, list, feed, API, statement or report."
        ),
    )
    named_in_transparency = models.BooleanField(
        _("named in the transparency report"),
        default=False,
        help_text=_("Totals paid through this member are published under its name."),
    )
    ended_on = models.DateField(_("left the network on"), null=True, blank=True)

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("member organisation")
        verbose_name_plural = _("member organisations")
        ordering = ["name"]
        permissions = [
            ("onboard_member", _("Can add and remove member organisations")),
        ]

    def __str__(self):
        return self.name

    @property
    def is_current(self) -> bool:
        return self.ended_on is None

    @property
    def shown_publicly(self) -> bool:
        return self.is_public and self.is_current

    def description(self, language: str | None = None) -> str:
        # "crh" has three letters; "en-gb" and the like fall back to their language.
        language = (language or get_language() or "en").split("-")[0]
        return (
            getattr(self, f"description_{language}", "")
            or self.description_en
            or self.description_uk
        )

    def activity_labels(self) -> list[str]:
        labels = dict(Activity.choices)
        return [str(labels[a]) for a in self.activities if a in labels]

    def work_language_labels(self) -> list[str]:
        labels = dict(WorkLanguage.choices)
        return [str(labels[code]) for code in self.work_languages if code in labels]


class CaseHandling(models.Model):
    """A member working on one case, in one role. Keyed by the profile's translation
    key: every language version of a profile is the same case."""

    member = models.ForeignKey(
        Member,
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="handlings",
    )
    case_key = models.UUIDField(db_index=True)
    role = models.CharField(_("role"), max_length=20, choices=CaseRole.choices)
    role_public = models.BooleanField(
        _("role shown publicly"),
        default=True,
        help_text=_("Untick to name the member on the profile without its role."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("case handled by a member")
        verbose_name_plural = _("cases handled by members")
        ordering = ["case_key", "member__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["member", "case_key"], name="one_role_per_member_per_case"
            )
        ]

    def __str__(self):
        return f"{self.member} — {self.get_role_display()}"


class MemberStaffGroup(models.Model):
    """A Django group whose people work for one member. What they may touch in the
    admin follows from the cases the member handles (network.access)."""

    member = models.ForeignKey(
        Member, on_delete=models.CASCADE, related_name="staff_groups"
    )
    group = models.OneToOneField(
        Group, on_delete=models.CASCADE, related_name="member_staff"
    )
    kind = models.CharField(max_length=20, choices=StaffKind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["member", "kind"], name="one_group_per_member_and_kind"
            )
        ]

    def __str__(self):
        return self.group.name


class MemberInvitation(models.Model):
    """The first editor of a new member, invited by email; at first sign-in they
    set a password and an authenticator before the admin opens."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.user} → {self.member}"


from .pages import NetworkIndexPage  # noqa: E402, F401
