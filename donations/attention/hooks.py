"""Wagtail hooks of what needs attention (imported by donations/wagtail_hooks.py):
a panel on the admin's home page for Board members and superusers, and its CSS."""

from django.templatetags.static import static
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component

from donations.attention import selectors
from donations.attention.views import attention_context


class AttentionPanel(Component):
    """On the admin home: everything that needs a person, or that nothing does."""

    name = "attention"
    order = 50  # before Wagtail's own panels: this is what must not sit unseen
    template_name = "donations/attention/home_panel.html"

    def __init__(self, request):
        self.request = request

    def get_context_data(self, parent_context=None):
        return attention_context(self.request)


@hooks.register("construct_homepage_panels")
def add_attention_panel(request, panels):
    if selectors.may_see_attention(request.user):
        panels.append(AttentionPanel(request))


@hooks.register("insert_global_admin_css")
def attention_css():
    return format_html('<link rel="stylesheet" href="{}">', static("css/attention.css"))
