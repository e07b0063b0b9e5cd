import calendar
import uuid

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page
from wagtail.search import index

from home.site_cache import CachedViewRestrictionsMixin, cached, generation
from prisoners import choices
from prisoners.transliteration import name_keys
from prisoners.visibility import (
    HIDEABLE_GROUPS,
    decode_hidden,
    encode_hidden,
    public_groups,
)

from .snippets import CriminalArticle, DetentionPlace, Region

PROFILE_FRAGMENT_SECONDS = 600


class PrisonerPageForm(WagtailAdminPageForm):
    """Shows `hidden_fields` as checkboxes and refuses unsafe combinations."""

    hidden_groups = forms.MultipleChoiceField(
        label=_("Hide from the public"),
        choices=list(HIDEABLE_GROUPS.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Hidden parts never reach the public site, search, feeds or API."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hidden_groups"].initial = sorted(
            decode_hidden(self.instance.hidden_fields)
        )

    def save(self, commit=True):
        self.instance.hidden_fields = encode_hidden(
            self.cleaned_data.get("hidden_groups", [])
        )
        return super().save(commit=commit)


class PrisonerPage(CachedViewRestrictionsMixin, RoutablePageMixin, Page):
    """One person the network defends: who they are, what is done to them, why it is
    political, and how to help. Publishing needs a second person's approval."""

    # Identity
    is_fictional = models.BooleanField(
        _("fictional person"),
        default=False,
        help_text=_(
            "Demo and training profiles: a banner says the person is invented."
        ),
    )
    is_pseudonym = models.BooleanField(
        _("title is a pseudonym"),
        default=False,
        help_text=_("The public name is not the person's real name."),
    )
    legal_name = models.CharField(
        _("legal name (private)"),
        max_length=200,
        blank=True,
        help_text=_("Never shown publicly; for staff when the title is a pseudonym."),
    )
    photo = models.ForeignKey(
        "safeimages.SafeImage",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True
    )
    # Day and month without the year: what the letter-writing month needs, and
    # published only with its own consent (see visibility.py, "birthday").
    birth_month = models.PositiveSmallIntegerField(
        _("birthday: month"),
        null=True,
        blank=True,
        choices=list(MONTHS.items()),
    )
    birth_day = models.PositiveSmallIntegerField(
        _("birthday: day"), null=True, blank=True
    )
    home_region = models.ForeignKey(
        Region,
        verbose_name=_("home region"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    occupation = models.CharField(_("occupation"), max_length=200, blank=True)
    relatives_note = models.TextField(
        _("relatives"),
        blank=True,
        help_text=_("Only with consent for relatives' names."),
    )
    story = RichTextField(
        _("story"),
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ul", "ol"],
    )

    # Status
    status = models.CharField(
        _("status"), max_length=20, choices=choices.Status.choices, db_index=True
    )
    detained_on = models.DateField(_("detained on"), null=True, blank=True)
    released_on = models.DateField(_("released on"), null=True, blank=True)

    # Persecution
    criminal_case_authority = models.CharField(
        _("criminal case brought by"),
        max_length=20,
        choices=choices.ProsecutingAuthority.choices,
        blank=True,
    )
    criminal_articles = ParentalManyToManyField(
        CriminalArticle, verbose_name=_("articles"), blank=True, related_name="+"
    )
    case_summary = models.TextField(_("case summary"), blank=True)
    interpol_notice = models.CharField(
        _("INTERPOL notice"),
        max_length=20,
        choices=choices.InterpolNotice.choices,
        blank=True,
    )
    ccf_complaint = models.CharField(
        _("complaint to the CCF"),
        max_length=20,
        choices=choices.CcfComplaint.choices,
        blank=True,
    )
    ccf_outcome = models.TextField(_("CCF outcome"), blank=True)
    sis_alert = models.BooleanField(_("Schengen (SIS) alert"), default=False)
    sis_alert_details = models.TextField(_("SIS alert details"), blank=True)
    extradition_requested_by = models.CharField(
        _("extradition requested by"), max_length=120, blank=True
    )
    extradition_status = models.CharField(
        _("extradition status"),
        max_length=20,
        choices=choices.ExtraditionStatus.choices,
        blank=True,
    )
    asylum_country = models.CharField(_("asylum sought in"), max_length=120, blank=True)
    asylum_status = models.CharField(
        _("asylum status"),
        max_length=20,
        choices=choices.AsylumStatus.choices,
        blank=True,
    )

    # Sentence and court
    sentence_years = models.DecimalField(
        _("sentence (years)"), max_digits=4, decimal_places=1, null=True, blank=True
    )
    sentence_regime = models.CharField(
        _("regime"), max_length=20, choices=choices.SentenceRegime.choices, blank=True
    )
    court = models.CharField(_("court"), max_length=250, blank=True)
    next_hearing_on = models.DateField(_("next hearing"), null=True, blank=True)

    # Detention and letters
    detention_place = models.ForeignKey(
        DetentionPlace,
        verbose_name=_("place of detention"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    letter_address = models.TextField(_("address for letters"), blank=True)
    letter_address_verified_on = models.DateField(
        _("address verified on"), null=True, blank=True
    )
    letter_language = models.CharField(
        _("letters must be in"),
        max_length=10,
        choices=choices.LetterLanguage.choices,
        blank=True,
    )
    letter_topics_to_avoid = models.TextField(_("topics to avoid"), blank=True)
    letters_blocked = models.BooleanField(_("letters currently blocked"), default=False)

    # Why the network considers the detention political
    meets_pace_criteria = models.BooleanField(
        _("meets the PACE criteria"),
        default=True,
        help_text=_("Untick, and say why below, if the person no longer meets them."),
    )
    assessment_summary = models.TextField(
        _("why the detention is political"), blank=True
    )

    # Consent and visibility
    consent_given_by = models.CharField(
        _("consent given by"), max_length=20, choices=choices.ConsentGiver.choices
    )
    # Nullable so that a draft from a report or an import can exist before anyone
    # has asked for consent; blank=False still makes it required for publishing.
    consent_given_on = models.DateField(_("consent given on"), null=True)
    consent_name = models.BooleanField(_("consent to publish the name"), default=False)
    consent_photo = models.BooleanField(_("consent to publish a photo"), default=False)
    consent_detention_place = models.BooleanField(
        _("consent to publish the place of detention"), default=False
    )
    consent_relatives = models.BooleanField(
        _("consent to name relatives"), default=False
    )
    consent_birthday = models.BooleanField(
        _("consent to publish the birthday"),
        default=False,
        help_text=_("Day and month, for the letter-writing month."),
    )
    consent_review_on = models.DateField(_("review consent on"), null=True, blank=True)
    consent_notes = models.TextField(_("consent notes (private)"), blank=True)
    hidden_fields = models.CharField(max_length=400, blank=True, editable=False)

    # Derived: every public spelling's name keys, for spelling-independent search.
    name_search_keys = models.TextField(blank=True, editable=False, db_index=False)

    # Never public, so naming someone there exposes nobody (prisoners/mentions).
    private_text_fields = ("legal_name", "consent_notes")

    base_form_class = PrisonerPageForm
    parent_page_types = ["prisoners.PrisonerIndexPage"]
    subpage_types: list[str] = []

    search_fields = [
        *Page.search_fields,
        index.SearchField("public_search_text"),
        index.FilterField("status"),
        index.FilterField("locale_id"),
    ]

    api_fields = [APIField("public_profile")]

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("is_pseudonym"),
                FieldPanel("legal_name"),
                InlinePanel("spellings", label=_("Other spellings of the public name")),
                FieldPanel("is_fictional"),
            ],
            heading=_("Name"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("photo"),
                FieldRowPanel([FieldPanel("birth_year"), FieldPanel("home_region")]),
                FieldRowPanel([FieldPanel("birth_day"), FieldPanel("birth_month")]),
                FieldPanel("occupation"),
                FieldPanel("relatives_note"),
                FieldPanel("story"),
            ],
            heading=_("Person"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("status"),
                FieldRowPanel([FieldPanel("detained_on"), FieldPanel("released_on")]),
            ],
            heading=_("Status"),
        ),
        InlinePanel("timeline_events", label=_("Timeline")),
    ]
    persecution_panels = [
        MultiFieldPanel(
            [
                FieldPanel("criminal_case_authority"),
                FieldPanel("criminal_articles", widget=forms.CheckboxSelectMultiple),
                FieldPanel("case_summary"),
                FieldRowPanel(
                    [FieldPanel("sentence_years"), FieldPanel("sentence_regime")]
                ),
                FieldRowPanel([FieldPanel("court"), FieldPanel("next_hearing_on")]),
            ],
            heading=_("Criminal case"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("interpol_notice"), FieldPanel("ccf_complaint")]
                ),
                FieldPanel("ccf_outcome"),
                FieldPanel("sis_alert"),
                FieldPanel("sis_alert_details"),
                FieldRowPanel(
                    [
                        FieldPanel("extradition_requested_by"),
                        FieldPanel("extradition_status"),
                    ]
                ),
                FieldRowPanel(
                    [FieldPanel("asylum_country"), FieldPanel("asylum_status")]
                ),
            ],
            heading=_("Abroad: INTERPOL, Schengen, extradition, asylum"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("meets_pace_criteria"),
                FieldPanel("assessment_summary"),
                InlinePanel(
                    "pace_criteria", label=_("PACE 1900 criteria and evidence")
                ),
            ],
            heading=_("Why the detention is political"),
        ),
    ]
    detention_panels = [
        FieldPanel("detention_place"),
        FieldPanel("letter_address"),
        FieldRowPanel(
            [FieldPanel("letter_address_verified_on"), FieldPanel("letter_language")]
        ),
        FieldPanel("letter_topics_to_avoid"),
        FieldPanel("letters_blocked"),
    ]
    safety_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("consent_given_by"), FieldPanel("consent_given_on")]
                ),
                FieldPanel("consent_name"),
                FieldPanel("consent_photo"),
                FieldPanel("consent_detention_place"),
                FieldPanel("consent_relatives"),
                FieldPanel("consent_birthday"),
                FieldPanel("consent_review_on"),
                FieldPanel("consent_notes"),
            ],
            heading=_("Consent"),
        ),
        FieldPanel("hidden_groups"),
    ]
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Profile")),
            ObjectList(persecution_panels, heading=_("Persecution")),
            ObjectList(detention_panels, heading=_("Detention and letters")),
            ObjectList(safety_panels, heading=_("Consent and visibility")),
            ObjectList(Page.promote_panels, heading=_("Promote")),
            ObjectList(Page.settings_panels, heading=_("Settings")),
        ]
    )

    class Meta:
        verbose_name = _("prisoner profile")
        verbose_name_plural = _("prisoner profiles")

    def clean(self):
        super().clean()
        if not self.consent_name and not self.is_pseudonym:
            raise ValidationError(
                {
                    "is_pseudonym": _(
                        "Without consent to publish the name, the title must be a "
                        "pseudonym."
                    )
                }
            )
        self._clean_birthday()
        if (
            self.released_on
            and self.detained_on
            and self.released_on < self.detained_on
        ):
            raise ValidationError(
                {"released_on": _("The release date is before the detention date.")}
            )

    def _clean_birthday(self) -> None:
        month, day = self.birth_month, self.birth_day
        if (month is None) != (day is None):
            field = "birth_day" if day is None else "birth_month"
            raise ValidationError(
                {
                    field: _(
                        "Give both the day and the month of the birthday, or neither."
                    )
                }
            )
        # A leap year, so that 29 February is a real day.
        if month is not None and not 1 <= day <= calendar.monthrange(2000, month)[1]:
            raise ValidationError({"birth_day": _("That month has no such day.")})

    def save(self, *args, **kwargs):
        # A derived search column, not business logic: recomputed from the public
        # spellings whenever the page (and its inline spellings) is saved.
        self.name_search_keys = self.compute_name_search_keys()
        super().save(*args, **kwargs)

    def compute_name_search_keys(self) -> str:
        spellings = [self.title, *(s.name for s in self.spellings.all())]
        keys = dict.fromkeys(k for spelling in spellings for k in name_keys(spelling))
        return f" {' '.join(keys)} " if keys else ""

    # --- What the public sees -------------------------------------------------------

    @cached_property
    def public_groups(self) -> frozenset[str]:
        return public_groups(self)

    def shows(self, group: str) -> bool:
        return group in self.public_groups

    @property
    def public_photo(self):
        return self.photo if self.photo_id and self.shows("photo") else None

    def exposes_image(self, image) -> bool:
        """Only a consented, visible photo may be served (see safeimages)."""
        if image.pk == self.photo_id:
            return self.shows("photo")
        return True

    @property
    def persecution_types(self) -> list[str]:
        present = {
            choices.PersecutionType.CRIMINAL_CASE: bool(self.criminal_case_authority),
            choices.PersecutionType.INTERPOL: bool(self.interpol_notice),
            choices.PersecutionType.SIS_ALERT: self.sis_alert,
            choices.PersecutionType.EXTRADITION: bool(self.extradition_requested_by),
            choices.PersecutionType.ASYLUM: bool(self.asylum_status),
        }
        return [kind for kind, yes in present.items() if yes]

    def public_search_text(self) -> str:
        """Everything searchable about the person, hidden parts left out."""
        parts = [self.title, *(s.name for s in self.spellings.all())]
        parts.append(self.name_search_keys)
        if self.shows("occupation"):
            parts.append(self.occupation)
        if self.shows("home_region") and self.home_region:
            parts.append(self.home_region.name)
        if self.shows("criminal_case"):
            parts.append(self.case_summary)
            parts += [a.number for a in self.criminal_articles.all()]
        parts.append(self.assessment_summary)
        return "\n".join(p for p in parts if p)

    def public_profile(self) -> dict:
        """The profile as partners may mirror it through /api/v2/: public parts only."""
        from prisoners.serializers import public_profile_data

        return public_profile_data(self)

    @classmethod
    def routed_queryset(cls):
        """How home/site_cache.py loads a profile it routes to: with what the
        template reads on every view."""
        return cls.objects.select_related("locale", "home_region", "detention_place")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        from campaigns.selectors import campaigns_for_prisoner

        context["timeline"] = (
            self.timeline_events.order_by("date") if self.shows("timeline") else []
        )
        if getattr(request, "is_preview", False):
            # A draft is never cached: its fragments must not reach the public.
            campaigns = list(campaigns_for_prisoner(self).select_related("statement"))
            context["fragment_key"] = f"preview:{uuid.uuid4()}"
            context["fragment_seconds"] = 0
        else:
            campaigns = cached(
                f"profile-campaigns:{self.pk}",
                lambda: list(campaigns_for_prisoner(self).select_related("statement")),
                request=request,
            )
            # The public parts of the profile, rendered once per language and
            # generation; the day too, since whether letters are invited does.
            context["fragment_key"] = ":".join(
                str(part)
                for part in (
                    generation(request),
                    self.pk,
                    self.last_published_at,
                    timezone.localdate(),
                    request.get_host(),
                )
            )
            context["fragment_seconds"] = PROFILE_FRAGMENT_SECONDS
        context["campaigns"] = campaigns
        context["cta"] = self.calls_to_action(request, campaigns)
        # The money block comes from the template (`{% case_money page %}`): the
        # profile knows nothing of the money app.
        return context

    @path("letter/")
    def letter_sheet(self, request):
        """A printable sheet for writing to the person; only while the address is
        public, recently verified and letters get through."""
        from django.http import Http404

        from prisoners.letters import birthday_label, has_letter_sheet

        if not has_letter_sheet(self):
            raise Http404
        birthday = self.public_birthday
        return self.render(
            request,
            template="prisoners/letter_sheet.html",
            context_overrides={
                "birthday": birthday,
                "birthday_label": birthday_label(*birthday) if birthday else "",
            },
        )

    @property
    def public_birthday(self):
        """(month, day) when the public may see the birthday, else None."""
        if self.birth_month and self.birth_day and self.shows("birthday"):
            return (self.birth_month, self.birth_day)
        return None

    def calls_to_action(self, request, campaigns) -> dict:
        statement = next(
            (c.statement for c in campaigns if c.statement and c.statement.live), None
        )
        from prisoners.letters import has_letter_sheet

        # The same rule as the letter sheet: an address not verified for months may
        # no longer reach the person, so the button does not invite a letter there.
        return {
            "donate_url": "#donate",
            "sign_url": statement.get_url(request) if statement else "",
            "write_url": "#write" if has_letter_sheet(self) else "",
            "share_url": request.build_absolute_uri(self.get_url(request)),
        }


class AlternativeName(Orderable):
    page = ParentalKey(PrisonerPage, on_delete=models.CASCADE, related_name="spellings")
    script = models.CharField(
        _("script"), max_length=10, choices=choices.NameScript.choices
    )
    name = models.CharField(_("spelling"), max_length=200)

    panels = [FieldRowPanel([FieldPanel("script"), FieldPanel("name")])]


class PaceCriterionEvidence(Orderable):
    page = ParentalKey(
        PrisonerPage, on_delete=models.CASCADE, related_name="pace_criteria"
    )
    criterion = models.CharField(
        _("criterion"), max_length=1, choices=choices.PaceCriterion.choices
    )
    evidence = models.TextField(_("evidence"))

    panels = [FieldPanel("criterion"), FieldPanel("evidence")]


class TimelineEvent(Orderable):
    page = ParentalKey(
        PrisonerPage, on_delete=models.CASCADE, related_name="timeline_events"
    )
    date = models.DateField(_("date"))
    kind = models.CharField(
        _("event"), max_length=20, choices=choices.TimelineEventKind.choices
    )
    description = models.TextField(_("description"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("date"), FieldPanel("kind")]),
        FieldPanel("description"),
    ]

    class Meta(Orderable.Meta):
        ordering = ["date", "sort_order"]
