"""The public read-only API at /api/v2/: published pages and their public fields,
and the network's public member organisations.

No images endpoint is offered: it would list every uploaded photo, including those
of people who did not consent to one.
"""

from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.views import PagesAPIViewSet

from network.api import OrganisationsAPIEndpoint
from news.api import NewsAPIEndpoint


class PublicPagesAPIViewSet(PagesAPIViewSet):
    # The page tree's private structure is not for partners' mirrors.
    meta_fields = [
        field
        for field in PagesAPIViewSet.meta_fields
        if field not in {"show_in_menus", "parent", "alias_of"}
    ]
    listing_default_fields = [
        field
        for field in PagesAPIViewSet.listing_default_fields
        if field not in {"show_in_menus"}
    ]


api_router = WagtailAPIRouter("wagtailapi")
api_router.register_endpoint("pages", PublicPagesAPIViewSet)
api_router.register_endpoint("organisations", OrganisationsAPIEndpoint)
api_router.register_endpoint("news", NewsAPIEndpoint)
