"""The events of one language: discussions, webinars and letter-writing evenings,
each at its own time zone's clock, at a place, online or both, exported to iCal.

The times are stored as moments (aware, in UTC); the page shows them as the clock
reads where the event happens, in `time_zone`, and editors type them that way too
(`EventPageForm`). A translation keeps the time, place, links and report of its
source (synchronised fields); titles and texts are translated.
"""

import datetime
import zoneinfo

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .blocks import EventBodyBlock
from .choices import EventKind, event_languages
from .time_zones import DEFAULT_TIME_ZONE, validate_time_zone, zone_label

PER_PAGE = 12


class EventIndexPage(RoutablePageMixin, Page):
    """The events of one language: upcoming ones first, then past ones with their
    reports, and an iCal feed to subscribe to. Events are written as its children."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = ["events.EventPage"]
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("event list")

    @path("")
    def index_route(self, request):
        from .selectors import past_events, upcoming_events

        paginator = Paginator(past_events(locale=self.locale, index=self), PER_PAGE)
        try:
            past = paginator.page(request.GET.get("page", 1))
        except (PageNotAnInteger, EmptyPage):
            past = paginator.page(1)
        feed = self.get_full_url(request) + self.reverse_subpage("ical_feed")
        return self.render(
            request,
            context_overrides={
                "upcoming": upcoming_events(locale=self.locale, index=self),
                "past": past,
                # Calendar apps subscribe to a webcal: address (RFC 5545 over HTTP).
                "subscribe_url": "webcal:" + feed.split(":", 1)[1],
            },
        )

    @path("ical/")
    def ical_feed(self, request):
        from .ical import calendar_response, events_calendar
        from .selectors import calendar_events

        calendar = events_calendar(
            calendar_events(locale=self.locale, index=self),
            request=request,
            name=self.title,
        )
        filename = f"{self.slug}-{self.locale.language_code}.ics"
        return calendar_response(calendar, filename=filename, inline=True)


class EventPageForm(WagtailAdminPageForm):
    """The editor types the start and end as the clock reads where the event is
    held (its time zone), not in their own or the server's time zone."""

    TIMES = ("starts_at", "ends_at")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        zone = _zone(self.instance.time_zone)
        for name in self.TIMES:
            value = getattr(self.instance, name, None)
            if value is not None and name in self.fields and zone is not None:
                self.initial[name] = timezone.make_naive(value, zone)

    def clean(self):
        cleaned = super().clean()
        zone = _zone(cleaned.get("time_zone"))
        if zone is not None:
            current = timezone.get_current_timezone()
            for name in self.TIMES:
                value = cleaned.get(name)
                if value is not None:
                    # The form read the wall time in the current time zone.
                    wall = timezone.make_naive(value, current)
                    cleaned[name] = timezone.make_aware(wall, zone)
        return cleaned


def _zone(name) -> zoneinfo.ZoneInfo | None:
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


class EventPage(RoutablePageMixin, Page):
    """One discussion, webinar or letter-writing evening: when (in its time zone),
    where (a place, an online link or both), in which language, and after it the
    report in the news."""

    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=EventKind.choices,
        default=EventKind.DISCUSSION,
        db_index=True,
    )
    starts_at = models.DateTimeField(
        _("starts at"),
        db_index=True,
        help_text=_("As the clock reads where the event is held (its time zone)."),
    )
    ends_at = models.DateTimeField(_("ends at"), help_text=_("In the same time zone."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        default=DEFAULT_TIME_ZONE,
        validators=[validate_time_zone],
        help_text=_(
            "Where the event is held, as a time zone name: Europe/Kyiv, "
            "Europe/Vilnius, Europe/Warsaw…"
        ),
    )
    place_name = models.CharField(
        _("place"),
        max_length=200,
        blank=True,
        help_text=_("The venue, e.g. 'Community centre, Vilnius'."),
    )
    place_address = models.TextField(_("address"), blank=True)
    online_url = models.URLField(
        _("online link"),
        blank=True,
        help_text=_("Where to join online. A place, an online link or both."),
    )
    event_language = models.CharField(
        _("language of the event"),
        max_length=10,
        choices=event_languages,
        default="uk",
        help_text=_("The language spoken at the event."),
    )
    summary = models.TextField(
        _("summary"),
        max_length=500,
        help_text=_("One or two sentences for lists, calendars and search results."),
    )
    body = StreamField(EventBodyBlock(), blank=True, verbose_name=_("body"))
    registration_url = models.URLField(
        _("registration link"),
        blank=True,
        help_text=_("Optional: where to sign up."),
    )
    report = models.ForeignKey(
        "news.ArticlePage",
        verbose_name=_("report"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_(
            "The article about the event, shown once it is over (in the visitor's "
            "language when translated)."
        ),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("kind"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("starts_at"), FieldPanel("ends_at")]),
                FieldPanel("time_zone"),
            ],
            heading=_("When"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place_name"),
                FieldPanel("place_address"),
                FieldPanel("online_url"),
            ],
            heading=_("Where"),
        ),
        FieldPanel("event_language"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("registration_url"),
        FieldPanel("report"),
    ]
    base_form_class = EventPageForm
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("place_name"),
        index.FilterField("kind"),
        index.FilterField("starts_at"),
        index.FilterField("ends_at"),
        index.FilterField("event_language"),
    ]
    api_fields = [
        APIField("kind"),
        APIField("starts_at"),
        APIField("ends_at"),
        APIField("time_zone"),
        APIField("event_language"),
        APIField("place_name"),
        APIField("place_address"),
        APIField("online_url"),
        APIField("registration_url"),
        APIField("summary"),
    ]
    # Translators translate words; the time, zone and links stay the source's.
    override_translatable_fields = [
        SynchronizedField("time_zone"),
        SynchronizedField("starts_at"),
        SynchronizedField("ends_at"),
    ]
    parent_page_types = ["events.EventIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")

    def clean(self):
        super().clean()
        errors = {}
        if not self.place_name.strip() and not self.online_url:
            message = _("Give a place, an online link or both: say where to come.")
            errors["place_name"] = message
            errors["online_url"] = message
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors["ends_at"] = _("The event must end after it starts.")
        if errors:
            raise ValidationError(errors)

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        return _zone(self.time_zone) or zoneinfo.ZoneInfo(DEFAULT_TIME_ZONE)

    @property
    def local_start(self) -> datetime.datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime.datetime:
        return self.ends_at.astimezone(self.zone)

    @property
    def zone_label(self) -> str:
        return zone_label(self.local_start, self.time_zone)

    @property
    def ends_same_day(self) -> bool:
        return self.local_start.date() == self.local_end.date()

    @property
    def is_past(self) -> bool:
        return self.ends_at < timezone.now()

    @property
    def event_language_name(self) -> str:
        """The event's language named in the visitor's language ("Ukrainian")."""
        try:
            info = translation.get_language_info(self.event_language)
        except KeyError:
            return self.get_event_language_display()
        return str(info["name_translated"])

    def get_context(self, request, *args, **kwargs):
        from .selectors import event_report

        context = super().get_context(request, *args, **kwargs)
        context["event_index"] = self.get_parent()
        context["report_page"] = event_report(event=self) if self.is_past else None
        return context

    @path("ical/")
    def ical(self, request):
        from .ical import calendar_response, events_calendar

        calendar = events_calendar([self], request=request, name=self.title)
        return calendar_response(calendar, filename=f"{self.slug}.ics")
