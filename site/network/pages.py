"""The network's public page: its member organisations, with filters, and one page
per member at <network page>/<member slug>/."""

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import Page

from . import cache_purge  # noqa: F401  (cached pages go when a member changes)
from .choices import Activity, WorkLanguage
from .models import Member
from .selectors import (
    MemberFilters,
    campaigns_about,
    filter_members,
    member_countries,
    public_cases_of,
    public_member,
    public_members,
)


class NetworkIndexPage(RoutablePageMixin, Page):
    """The list of the network's member organisations, one per language. Members
    are edited in the admin's member list, not here: this page only says a few
    words above them. A member that is not public or has left never appears."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types = []
    max_count_per_parent = 1

    class Meta:
        verbose_name = _("network page")

    @path("")
    def index_route(self, request):
        filters = MemberFilters.from_query(request.GET)
        return self.render(
            request,
            context_overrides={
                "filters": filters,
                "members": filter_members(public_members(), filters),
                "activities": Activity.choices,
                "work_languages": WorkLanguage.choices,
                "countries": member_countries(),
            },
        )

    @path("<slug:slug>/", name="member")
    def member_route(self, request, slug):
        member = public_member(slug)
        if member is None:
            raise Http404
        cases = public_cases_of(member, self.locale)
        return self.render(
            request,
            template="network/member_page.html",
            context_overrides={
                "member": member,
                "cases": cases,
                "campaigns": campaigns_about(cases),
            },
        )

    def member_url(self, member, request=None) -> str:
        return f"{self.get_url(request=request)}{member.slug}/"

    def get_sitemap_urls(self, request=None):
        """The page itself and each public member's page; no other member's."""
        urls = super().get_sitemap_urls(request)
        base = self.get_full_url(request)
        lastmod = urls[0]["lastmod"] if urls else None
        for member in Member.objects.public().only("slug").order_by("name"):
            urls.append({"location": f"{base}{member.slug}/", "lastmod": lastmod})
        return urls
