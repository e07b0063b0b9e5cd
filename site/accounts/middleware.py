from urllib.parse import urlencode

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from .second_factor import (
    has_second_factor,
    is_staff_member,
    session_used_second_factor,
)

# The admin, and uploaded originals that only staff may see.
STAFF_ONLY_PATHS = ("/admin/", "/media/")
# Icons and interface strings the sign-in pages use too.
ADMIN_ASSETS = ("/admin/sprite", "/admin/jsi18n")


class StaffSecondFactorMiddleware:
    """Keeps staff out of the Wagtail admin until this session has passed a TOTP check.

    A staff member with no authenticator is sent to set one up; one who has an
    authenticator but signed in without using it (a session from before it was set
    up, say) is asked for a code. A password alone never opens the admin.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.path_info.startswith("/admin/")
            and not request.path_info.startswith(ADMIN_ASSETS)
            and request.user.is_authenticated
            and not is_staff_member(request.user)
        ):
            # A signed-in donor: Wagtail would send them to sign in, and allauth,
            # seeing them signed in, straight back here, round and round.
            messages.info(request, _("The admin is for the network's staff."))
            return redirect("donations:my_gifts")
        if request.path_info.startswith(STAFF_ONLY_PATHS) and is_staff_member(
            request.user
        ):
            next_query = urlencode({"next": request.get_full_path()})
            if not has_second_factor(request.user):
                messages.warning(
                    request,
                    _("Set up an authenticator app before you open the admin."),
                )
                return redirect(f"{reverse('mfa_activate_totp')}?{next_query}")
            if not session_used_second_factor(request):
                return redirect(f"{reverse('mfa_reauthenticate')}?{next_query}")
        return self.get_response(request)
