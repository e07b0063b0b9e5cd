from django.contrib import messages
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.translation import gettext as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from prisoners.mentions import editor as protected_names
from prisoners.models import CriminalArticle, DetentionPlace, Region
from prisoners.register_import import wagtail_hooks as _register_import  # noqa: F401


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


# The editorial warning: a page that names a person whose profile is unpublished, or
# the real name behind a pseudonym, warns its editor and is not submitted for review
# until they tick that naming the person is right (prisoners/mentions/editor.py).


@hooks.register("before_edit_page")
def warn_about_protected_names_on_edit(request, page):
    protected_names.check_edit(request, page)


@hooks.register("before_create_page")
def warn_about_protected_names_on_create(request, parent_page, page_class):
    protected_names.check_create(request, parent_page, page_class)


@hooks.register("insert_global_admin_css")
def protected_names_css():
    return format_html(
        '<link rel="stylesheet" href="{}">', static("css/protected-names.css")
    )
