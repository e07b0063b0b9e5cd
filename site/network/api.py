"""/api/v2/organisations/: the network's public member organisations, for partners'
mirrors. Public, current members only; the same fields as their public pages."""

from django.http import Http404
from django.urls import path
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from .models import Member
from .selectors import member_urls_by_language, public_member, public_members


def organisation_data(member: Member, request=None) -> dict:
    return {
        "name": member.name,
        "slug": member.slug,
        "country": member.country.code,
        "activities": list(member.activities),
        "work_languages": list(member.work_languages),
        "website": member.website or None,
        "contact_email": member.contact_email or None,
        "joined_on": member.joined_on.isoformat(),
        "url": member_urls_by_language(member, request),
    }


class _OrganisationsView(APIView):
    renderer_classes = [JSONRenderer]
    # Anonymous and read-only, as the pages endpoint.
    authentication_classes = []
    permission_classes = []


class OrganisationListing(_OrganisationsView):
    def get(self, request):
        items = [organisation_data(m, request) for m in public_members()]
        return Response({"meta": {"total_count": len(items)}, "items": items})


class OrganisationDetail(_OrganisationsView):
    def get(self, request, slug):
        member = public_member(slug)
        if member is None:
            raise Http404
        return Response(organisation_data(member, request))


class OrganisationsAPIEndpoint:
    """Registered on Wagtail's API router next to the pages endpoint."""

    model = Member

    @classmethod
    def get_urlpatterns(cls):
        return [
            path("", OrganisationListing.as_view(), name="listing"),
            path("<slug:slug>/", OrganisationDetail.as_view(), name="detail"),
        ]
