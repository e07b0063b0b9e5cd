from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask


def _people_behind(obj) -> set[int]:
    """Who asked for this review and who wrote the revision under review."""
    people = set()
    state = obj.current_workflow_state
    if state and state.requested_by_id:
        people.add(state.requested_by_id)
    task_state = obj.current_workflow_task_state
    if task_state and task_state.revision and task_state.revision.user_id:
        people.add(task_state.revision.user_id)
    return people


def _may_publish(obj, user) -> bool:
    """A reviewer reviews only what they could publish: a member's moderators their
    member's pages, the network's moderators everything (Wagtail's page rights)."""
    permissions_for_user = getattr(obj, "permissions_for_user", None)
    return permissions_for_user is None or permissions_for_user(user).can_publish()


class DifferentPersonApprovalTask(AbstractGroupApprovalTask):
    """A group approval that the author of the change can never give themselves:
    a second person reviews everything said about someone before it goes public.
    A member's moderators are in the task's groups but review only their member's
    pages."""

    def get_actions(self, obj, user):
        if user.pk in _people_behind(obj) or not _may_publish(obj, user):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        obj = task_state.workflow_state.content_object
        if action_name in ("approve", "reject") and not _may_publish(obj, user):
            raise PermissionDenied(_("You cannot review this page."))
        if action_name == "approve" and user.pk in _people_behind(obj):
            raise PermissionDenied(_("You cannot approve your own change."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        states = states.exclude(workflow_state__requested_by=user).exclude(
            revision__user=user
        )
        if (
            user.is_superuser
            or self.groups.filter(user=user, member_staff__isnull=True).exists()
        ):
            return states
        from network.access import member_pages, members_of

        pages = set().union(*(member_pages(m) for m in members_of(user)))
        return states.filter(workflow_state__object_id__in=[str(p) for p in pages])

    @classmethod
    def get_description(cls):
        return _("A member of the chosen groups other than the author approves.")

    class Meta:
        verbose_name = _("second-person approval")
        verbose_name_plural = _("second-person approvals")
