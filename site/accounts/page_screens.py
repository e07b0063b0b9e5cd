"""Wagtail screens that show page titles without checking page rights: only staff
who work on pages may open them. Profiles in review are named by their titles, so
a Board member (who opens the admin for money, not pages) must not list them."""

from django.core.exceptions import PermissionDenied
from wagtail.models import GroupPagePermission

# URL names of screens that list or name pages but ask only for admin access.
PAGE_SCREENS = frozenset(
    {
        "wagtail_localize:translations_report",
        "wagtail_localize:translations_report_results",
        "wagtail_localize:snippets_api_listing",
    }
)


def works_on_pages(user) -> bool:
    """A superuser, or a member of a group with rights on some pages."""
    return bool(
        user.is_active
        and (
            user.is_superuser
            or GroupPagePermission.objects.filter(group__user=user).exists()
        )
    )


class PageScreensMiddleware:
    """Refuses PAGE_SCREENS to staff without page rights."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if (
            match is not None
            and match.view_name in PAGE_SCREENS
            and request.user.is_authenticated
            and not works_on_pages(request.user)
        ):
            raise PermissionDenied
        return None
