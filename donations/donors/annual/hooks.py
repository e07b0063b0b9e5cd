"""Wagtail hooks of the annual receipts (imported by donations/wagtail_hooks.py):
the Board's sending page under /admin/board/annual-receipts/ and its menu item,
which only Board members see."""

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from donations.dashboard.hooks import BoardMenuItem
from donations.donors.annual import admin


@hooks.register("register_admin_urls")
def register_annual_receipt_urls():
    return [
        path(
            "board/annual-receipts/",
            admin.annual_receipts_view,
            name="board_annual_receipts",
        ),
    ]


@hooks.register("register_admin_menu_item")
def register_annual_receipts_menu_item():
    return BoardMenuItem(
        _("Annual receipts"),
        reverse("board_annual_receipts"),
        name="board-annual-receipts",
        icon_name="mail",
        order=391,
    )
