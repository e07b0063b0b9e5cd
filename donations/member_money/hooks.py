"""Wagtail hooks of the member money page (imported by donations/wagtail_hooks.py):
its admin URL and a menu item that only member staff see."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from donations.member_money import views
from network.access import is_member_staff


@hooks.register("register_admin_urls")
def register_member_money_urls():
    # Wagtail's admin wraps this in its own check (signed in, may use the admin);
    # the view adds the member-staff rule.
    return [path("network/money/", views.member_money_view, name="member_money")]


class MemberStaffMenuItem(MenuItem):
    # Only hides the link: the view itself checks who may see the page.
    def is_shown(self, request):
        return is_member_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_member_money_menu_item():
    return MemberStaffMenuItem(
        _("Our cases' money"),
        reverse("member_money"),
        name="member-money",
        icon_name="pick",
        order=395,
    )
