"""Wagtail's page permission policy with one change for member staff.

Wagtail lets anyone with "add" on a page explore every page below it. A member's
editors have "add" on the register and the campaign and statement lists so that
they can draft new pages; through it they would see the titles of every other
member's drafts in the explorer and in admin search. For "add" rights that come
from a member's group, only the index itself and the pages the user owns below it
are explorable. Everything else is Wagtail's own rule."""

from django.db.models import Q
from wagtail.permission_policies.pages import PagePermissionPolicy


def _member_group_ids(user) -> set[int]:
    from .models import MemberStaffGroup

    return set(
        MemberStaffGroup.objects.filter(group__user=user).values_list(
            "group_id", flat=True
        )
    )


class NetworkPagePermissionPolicy(PagePermissionPolicy):
    def explorable_instances(self, user):
        base_queryset = self._base_queryset_for_user(user)
        if base_queryset is not None:
            return base_queryset
        member_groups = _member_group_ids(user)
        if not member_groups:
            return super().explorable_instances(user)

        permissions = list(self.get_cached_permissions_for_user(user))
        manager = self.model._default_manager
        explorable = manager.none()
        for perm in permissions:
            if perm.permission.codename == "add_page" and perm.group_id in (
                member_groups
            ):
                explorable |= manager.filter(
                    Q(pk=perm.page_id) | Q(path__startswith=perm.page.path, owner=user)
                )
            elif perm.permission.codename in self._get_permission_codenames(
                {"add", "change", "publish", "lock", "unlock", "bulk_delete"}
            ):
                explorable |= manager.descendant_of(perm.page, inclusive=True)
        pages = [perm.page for perm in permissions]
        for page in pages:
            explorable |= manager.ancestor_of(page)
        if pages:
            common = self.model.base_page_model.objects.first_common_ancestor_of(pages)
            explorable = explorable.filter(path__startswith=common.path)
        return explorable


def register():
    from wagtail.models import AbstractPage
    from wagtail.permissions import policy_registry

    policy_registry.register(
        AbstractPage, NetworkPagePermissionPolicy("wagtailcore.Page")
    )
