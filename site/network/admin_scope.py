"""The admin seen by a member's staff: choosers and the admin home show their
member's work, not the rest of the network's drafts. The rights themselves are
Wagtail's page permissions (network.access); this only keeps lists in step."""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.permissions import policy_registry

from .access import member_pages, members_of


def _is_member_staff_only(user) -> bool:
    from .permission_policy import _member_group_ids

    if user.is_superuser:
        return False
    groups = set(user.groups.values_list("pk", flat=True))
    return bool(groups) and groups <= _member_group_ids(user)


@hooks.register("construct_page_chooser_queryset")
def choosers_show_live_pages_and_own_work(pages, request):
    """Linking to a published page is fine; another member's draft is not to be
    seen, not even its title."""
    if not _is_member_staff_only(request.user):
        return pages
    from wagtail.models import Page

    explorable = policy_registry.get_by_type(Page).explorable_instances(request.user)
    return pages.filter(Q(live=True) | Q(pk__in=explorable.values("pk")))


class MyOrganisationPanel(Component):
    name = "my_organisation"
    template_name = "network/admin/home_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        from prisoners.models import PrisonerPage

        members = members_of(self.user)
        pages = set().union(*(member_pages(m) for m in members)) if members else set()
        profiles = (
            PrisonerPage.objects.filter(pk__in=pages)
            .select_related("locale")
            .order_by("-latest_revision_created_at")[:20]
        )
        return {"members": members, "profiles": profiles, "title": _("My organisation")}


@hooks.register("construct_homepage_panels")
def my_organisation_first(request, panels):
    if members_of(request.user):
        panels.insert(0, MyOrganisationPanel(request.user))
