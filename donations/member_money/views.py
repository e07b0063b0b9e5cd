"""/admin/network/money/: the read-only money page of a member's staff. The view
itself decides who may see it (the menu item only hides the link): staff who work
for a current member, each seeing only their own members' cases. Everyone else in
the admin, the Board included, gets 403, on an admin page that says whose page
this is and sends the Board to its own figures per member."""

from django.template.response import TemplateResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accounts.roles import is_board_member
from donations.member_money.selectors import member_money
from network.access import members_of


@never_cache
@require_GET
def member_money_view(request):
    members = members_of(request.user)
    if not members:
        # A response, not PermissionDenied: Wagtail's admin would turn that into a
        # redirect to the dashboard with a message. Still a 403: the page is not
        # theirs, whatever else they may see.
        return TemplateResponse(
            request,
            "donations/member_money_refused.html",
            {"board": is_board_member(request.user)},
            status=403,
        )
    return TemplateResponse(
        request,
        "donations/member_money.html",
        {"pages": [member_money(member) for member in members]},
    )
