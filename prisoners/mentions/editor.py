"""The editorial warning in Wagtail's page editor, for every page type.

- Opening (or saving, which reopens) a page that names a protected person shows a
  warning above the form: which profile, which words, why it matters, and a box to
  tick if naming them is nevertheless right.
- "Submit for moderation" (or restarting the workflow) on such a page, without the
  box ticked, is held back: the submission becomes a plain save of the draft, and a
  message says why. Ticked, it goes to review as usual; the reviewer sees the same
  warning when opening the page.

The check reads what the editor is about to submit (the posted form, validated as
Wagtail will validate it), not what was saved before.
"""

from django.contrib import messages
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from prisoners.mentions.page_text import page_text
from prisoners.mentions.selectors import Mention, Protection, protected_names_in

ACKNOWLEDGE_FIELD = "acknowledge_protected_names"
SUBMIT_ACTIONS = ("action-submit", "action-restart-workflow")
WARNING_TEMPLATE = "prisoners/admin/protected_names_warning.html"


def page_mentions(page) -> list[Mention]:
    """The protected names that `page` says, its own profile left out."""
    return protected_names_in(text=page_text(page), exclude_page=page)


def _renders_the_editor(request) -> bool:
    # Autosave and the create view's hydration ask for JSON or partials: a message
    # added there would wait in the session and surface on some later page.
    return (
        request.method == "GET"
        and request.accepts("text/html")
        and "_w_hydrate_create_view" not in request.GET
    )


def _submits_for_review(request) -> bool:
    return request.method == "POST" and any(
        request.POST.get(action) for action in SUBMIT_ACTIONS
    )


def _acknowledged(request) -> bool:
    return bool(request.POST.get(ACKNOWLEDGE_FIELD))


def _warning_rows(request, mentions: list[Mention]) -> list[dict]:
    rows = []
    for mention in mentions:
        profile = mention.profile
        # An editor who may not open the profile learns that the name is protected,
        # not whose profile protects it nor under which pseudonym.
        visible = profile.permissions_for_user(request.user).can_edit()
        rows.append(
            {
                "found": mention.found,
                "profile_title": profile.title if visible else "",
                "profile_url": (
                    reverse("wagtailadmin_pages:edit", args=[profile.pk])
                    if visible
                    else ""
                ),
                "is_pseudonym": mention.protection is Protection.PSEUDONYM,
            }
        )
    return rows


def warn(request, mentions: list[Mention]) -> None:
    html = render_to_string(
        WARNING_TEMPLATE,
        {
            "rows": _warning_rows(request, mentions),
            "acknowledge_field": ACKNOWLEDGE_FIELD,
        },
        request=request,
    )
    messages.warning(request, html, extra_tags="protected-names")


def _submitted_page(request, *, page_class, instance, parent_page):
    """The page as the posted form would save it, or None if the form is invalid
    (Wagtail then refuses the submission itself)."""
    form_class = page_class.get_edit_handler().get_form_class()
    form = form_class(
        request.POST,
        request.FILES,
        instance=instance,
        parent_page=parent_page,
        for_user=request.user,
    )
    if not form.is_valid():
        return None
    return form.save(commit=False)


def _hold_back(request) -> None:
    # Drop the submit action: Wagtail's view then saves the draft and reopens the
    # editor, where the warning shows again. The message goes through the session
    # cookie, so it names nobody.
    post = request.POST.copy()
    for action in SUBMIT_ACTIONS:
        post.pop(action, None)
    request.POST = post
    messages.error(
        request,
        _(
            "Not submitted for review: this page names a person whose profile is "
            "protected. Your changes are saved as a draft. Change the text, or tick "
            "the box in the warning and submit again."
        ),
    )


def check_edit(request, page) -> None:
    """`before_edit_page`: warn on opening, hold back an unacknowledged submit."""
    if _renders_the_editor(request):
        mentions = page_mentions(page)
        if mentions:
            warn(request, mentions)
    elif _submits_for_review(request) and not _acknowledged(request):
        # A fresh copy: validating the form writes into its instance, and the view
        # still has to build its own form on the page it loaded.
        fresh = type(page).objects.get(pk=page.pk).get_latest_revision_as_object()
        submitted = _submitted_page(
            request,
            page_class=type(page),
            instance=fresh,
            parent_page=page.get_parent(),
        )
        if submitted is not None and page_mentions(submitted):
            _hold_back(request)


def check_create(request, parent_page, page_class) -> None:
    """`before_create_page`: hold back an unacknowledged submit of a new page (it is
    created as a draft instead, and its editor then shows the warning)."""
    if not _submits_for_review(request) or _acknowledged(request):
        return
    instance = page_class(owner=request.user)
    instance.locale = parent_page.locale
    submitted = _submitted_page(
        request, page_class=page_class, instance=instance, parent_page=parent_page
    )
    if submitted is not None and page_mentions(submitted):
        _hold_back(request)
