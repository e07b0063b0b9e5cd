"""The admin seen by a member's staff: choosers and the admin home show their
member's work, not the rest of the network's drafts. The rights themselves are
Wagtail's page permissions (network.access); this only keeps lists in step."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils.translation import get_language
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


@dataclass
class CaseRow:
    """One case on the panel: its version in the admin's language (else the first),
    every language version, and when any of them last changed."""

    main: object
    versions: list
    last_change: datetime.datetime | None


def case_rows(pages, *, language: str) -> list[CaseRow]:
    """Group language versions of profiles by case (translation key), the case
    changed last first. `pages` must have their locale selected: nothing else is
    read per row."""
    by_case: dict = {}
    for page in pages:
        by_case.setdefault(page.translation_key, []).append(page)
    order = {code: index for index, (code, _name) in enumerate(settings.LANGUAGES)}
    rows = []
    for versions in by_case.values():
        versions.sort(key=lambda p: order.get(p.locale.language_code, len(order)))
        main = next(
            (p for p in versions if p.locale.language_code == language), versions[0]
        )
        changes = [p.latest_revision_created_at for p in versions]
        last = max((c for c in changes if c is not None), default=None)
        rows.append(CaseRow(main=main, versions=versions, last_change=last))
    never = datetime.datetime.min.replace(tzinfo=datetime.UTC)
    rows.sort(key=lambda row: row.last_change or never, reverse=True)
    return rows


class MyOrganisationPanel(Component):
    """The admin home of a member's staff: one row per case their organisation
    handles, each with its language versions to open. Every case, no cap: a
    member's cases are a short list, read in one query."""

    name = "my_organisation"
    template_name = "network/admin/home_panel.html"
    order = 50

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context=None):
        from prisoners.models import PrisonerPage

        members = members_of(self.user)
        pages = set().union(*(member_pages(m) for m in members)) if members else set()
        # Annotated so that each version's status costs no query of its own.
        profiles = (
            PrisonerPage.objects.filter(pk__in=pages)
            .select_related("locale")
            .annotate_approved_schedule()
            .prefetch_workflow_states()
        )
        language = (get_language() or settings.LANGUAGE_CODE).split("-")[0]
        return {
            "members": members,
            "cases": case_rows(profiles, language=language),
            "title": _("My organisation"),
        }


@hooks.register("construct_homepage_panels")
def my_organisation_first(request, panels):
    if members_of(request.user):
        panels.insert(0, MyOrganisationPanel(request.user))
