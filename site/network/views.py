"""Admin → Co-sign statements: a member's staff sign joint statements for their
organisation, without the email round trip (network.cosign)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.translation import gettext as _

from campaigns.choices import SignerKind
from campaigns.models import StatementPage

from .access import members_of
from .cosign import check_can_cosign, member_cosign, member_signature


def _members_or_refuse(user):
    members = members_of(user)
    if not members:
        raise PermissionDenied
    return members


def _open_statements() -> list[StatementPage]:
    """Live statements that organisations may sign now, one per statement (in the
    admin's language where it has that version), newest first."""
    language = (translation.get_language() or "").split("-")[0]
    chosen: dict = {}
    live = StatementPage.objects.live().select_related("locale")
    for statement in live.order_by("-first_published_at", "pk"):
        kept = chosen.get(statement.translation_key)
        if kept is None or (
            statement.locale.language_code == language
            and kept.locale.language_code != language
        ):
            chosen[statement.translation_key] = statement
    return [
        s
        for s in chosen.values()
        if s.is_open and SignerKind.ORGANISATION in s.allowed_kinds
    ]


def cosign_index(request):
    members = _members_or_refuse(request.user)
    rows = [
        (
            statement,
            [(m, member_signature(statement=statement, member=m)) for m in members],
        )
        for statement in _open_statements()
    ]
    return TemplateResponse(
        request, "network/admin/cosign_index.html", {"rows": rows, "members": members}
    )


def cosign_statement(request, page_id):
    """GET: the statement and a button per member of the user's; POST: sign."""
    members = _members_or_refuse(request.user)
    statement = get_object_or_404(StatementPage, pk=page_id)
    if request.method == "POST":
        member = next(
            (m for m in members if str(m.pk) == request.POST.get("member")), None
        )
        if member is None:
            raise PermissionDenied
        try:
            member_cosign(statement=statement, member=member, by=request.user)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("%(member)s has signed “%(statement)s”.")
                % {"member": member, "statement": statement.title},
            )
        return redirect("network_cosign_statement", page_id=statement.pk)
    refusal = ""
    try:
        check_can_cosign(statement=statement, member=members[0], by=request.user)
    except ValidationError as error:
        refusal = " ".join(error.messages)
    return TemplateResponse(
        request,
        "network/admin/cosign_statement.html",
        {
            "statement": statement,
            "refusal": refusal,
            "members": [
                (m, member_signature(statement=statement, member=m)) for m in members
            ],
        },
    )
