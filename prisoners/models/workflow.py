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


class DifferentPersonApprovalTask(AbstractGroupApprovalTask):
    """A group approval that the author of the change can never give themselves:
    a second person reviews everything said about someone before it goes public."""

    def get_actions(self, obj, user):
        if user.pk in _people_behind(obj):
            return []
        return super().get_actions(obj, user)

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and user.pk in _people_behind(
            task_state.workflow_state.content_object
        ):
            raise PermissionDenied(_("You cannot approve your own change."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user).exclude(
            revision__user=user
        )

    @classmethod
    def get_description(cls):
        return _("A member of the chosen groups other than the author approves.")

    class Meta:
        verbose_name = _("second-person approval")
        verbose_name_plural = _("second-person approvals")
