from django.core.exceptions import PermissionDenied
from wagtail import hooks

from accounts.audit import EXPORT_ACTION, ExportFormatter


@hooks.register("register_log_actions")
def register_export_action(actions):
    actions.register_action(EXPORT_ACTION)(ExportFormatter)


@hooks.register("before_move_page")
def only_those_who_may_move_see_the_confirmation(request, page, destination):
    # Wagtail checks the right to move only when the move is confirmed (POST):
    # the confirmation page itself would name any page to anyone in the admin.
    if not page.permissions_for_user(request.user).can_move():
        raise PermissionDenied
