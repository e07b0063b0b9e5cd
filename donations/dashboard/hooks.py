"""Wagtail hooks of the Board's dashboard (imported by donations/wagtail_hooks.py):
its admin URLs under /admin/board/ and a menu item only Board members see."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from accounts.roles import is_board_member
from donations.dashboard import views


@hooks.register("register_admin_urls")
def register_board_dashboard_urls():
    # Wagtail's admin wraps these in its own access check (signed in, may use
    # the admin); the views add the Board-only rule.
    return [
        path("board/", views.dashboard_view, name="board_dashboard"),
        path("board/data.json", views.dashboard_data, name="board_dashboard_data"),
        path("board/export.csv", views.dashboard_csv, name="board_dashboard_csv"),
    ]


class BoardMenuItem(MenuItem):
    def is_shown(self, request):
        return is_board_member(request.user)


@hooks.register("register_admin_menu_item")
def register_board_dashboard_menu_item():
    return BoardMenuItem(
        _("Board dashboard"),
        reverse("board_dashboard"),
        name="board-dashboard",
        icon_name="view",
        order=390,
    )
