from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from prisoners.models import CriminalArticle, DetentionPlace, Region


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name"]


class CriminalArticleViewSet(SnippetViewSet):
    model = CriminalArticle
    icon = "doc-full"
    list_display = ["number", "code", "title", "locale"]
    list_filter = ["code"]
    search_fields = ["number", "title"]


class DetentionPlaceViewSet(SnippetViewSet):
    model = DetentionPlace
    icon = "home"
    list_display = ["name", "region", "locale"]
    search_fields = ["name"]


class RegisterViewSetGroup(SnippetViewSetGroup):
    items = (RegionViewSet, CriminalArticleViewSet, DetentionPlaceViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = "Register"
    menu_name = "register"


register_snippet(RegisterViewSetGroup)


# Four eyes: nothing is published straight from the editor, by anyone but a
# superuser; it goes through the "Two-person review" workflow instead. Moderators
# keep the publish permission because Wagtail needs it to *unpublish*, which must
# stay one click away when a profile puts someone at risk.


@hooks.register("construct_page_action_menu")
def remove_direct_publish(menu_items, request, context):
    if not request.user.is_superuser:
        menu_items[:] = [item for item in menu_items if item.name != "action-publish"]


def _refuse_direct_publish(request, page):
    if (
        request.method == "POST"
        and "action-publish" in request.POST
        and not request.user.is_superuser
    ):
        messages.error(
            request,
            _("Publishing needs a second person's approval: submit it for review."),
        )
        return redirect(request.get_full_path())
    return None


@hooks.register("before_edit_page")
def refuse_direct_publish_on_edit(request, page):
    return _refuse_direct_publish(request, page)


@hooks.register("before_create_page")
def refuse_direct_publish_on_create(request, parent_page, page_class):
    return _refuse_direct_publish(request, parent_page)


@hooks.register("before_bulk_action")
def refuse_bulk_publish(request, action_type, objects, action_class_instance):
    if action_type == "publish" and not request.user.is_superuser:
        messages.error(request, _("Pages are published through review, one by one."))
        return redirect("wagtailadmin_explore_root")
    return None
