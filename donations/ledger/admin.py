"""The base of the admin's read-only views of money records."""

from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from solidarity.exports import SafeExportViewSetMixin

READ_ONLY_ACTIONS = frozenset({"view"})


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Whoever may view the records may only view them: not even a superuser adds,
    changes or deletes a posting here, so the admin offers no such button."""

    def user_has_permission(self, user, action):
        return action in READ_ONLY_ACTIONS and super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


class ReadOnlyViewSet(SafeExportViewSetMixin, ModelViewSet):
    """Money records are written by services only: the admin shows, never edits."""

    add_to_admin_menu = False
    inspect_view_enabled = True
    form_fields: list[str] = []

    def __init__(self, *args, **kwargs):
        # Registered before the admin first asks for the model's policy.
        register_permission_policy(
            self.model, ViewOnlyPermissionPolicy(self.model), exact_class=True
        )
        super().__init__(*args, **kwargs)

    def get_urlpatterns(self):
        read_only = {"index", "index_results", "inspect"}
        return [p for p in super().get_urlpatterns() if p.name in read_only]
