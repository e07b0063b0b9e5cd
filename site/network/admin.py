"""Admin → Network: the member organisations (added by onboarding, removed by
offboarding, never deleted) and who handles which case. Members are the Board's
and superusers' to manage; case handling is for the network-wide staff, never a
member's own, who could otherwise widen their own rights."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters import ModelChoiceFilter, UUIDFilter
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.roles import BOARD_GROUP, is_board_or_superuser

from .choices import CaseRole
from .forms import CaseHandlingForm, MemberForm, OffboardingForm, OnboardingForm
from .models import CaseHandling, Member
from .offboarding import case_title, offboard_member, orphaned_cases, staff_of
from .onboarding import onboard_member
from .services import handle_case, stop_handling

NETWORK_MODERATORS = "Moderators"


def is_network_staff(user) -> bool:
    """Superusers, the Board and the network-wide Moderators: those who may say
    which member works on which case. A member's own staff may not, as naming
    their member on a case gives them that case's pages."""
    return is_board_or_superuser(user) or bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and user.groups.filter(name=NETWORK_MODERATORS).exists()
    )


class _RolePolicy(BasePermissionPolicy):
    """A model's admin open to one role, for some actions only."""

    actions: frozenset[str] = frozenset()
    group_names: tuple[str, ...] = ()

    def allows(self, user) -> bool:
        raise NotImplementedError

    def user_has_permission(self, user, action):
        return action in self.actions and self.allows(user)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if not set(actions) & self.actions:
            return User.objects.none()
        return (
            User.objects.filter(is_active=True)
            .filter(Q(is_superuser=True) | Q(groups__name__in=self.group_names))
            .distinct()
        )


class MemberPermissionPolicy(_RolePolicy):
    """The Board and superusers see, add and edit members. Nobody deletes one:
    a member leaves by offboarding, and its history stays."""

    actions = frozenset({"view", "add", "change"})
    group_names = (BOARD_GROUP,)

    def allows(self, user):
        return is_board_or_superuser(user)


class CaseHandlingPermissionPolicy(_RolePolicy):
    actions = frozenset({"view", "add", "change", "delete"})
    group_names = (BOARD_GROUP, NETWORK_MODERATORS)

    def allows(self, user):
        return is_network_staff(user)


register_permission_policy(Member, MemberPermissionPolicy(Member))
register_permission_policy(CaseHandling, CaseHandlingPermissionPolicy(CaseHandling))


# --- Members --------------------------------------------------------------------


class MemberIndexView(generic.IndexView):
    @cached_property
    def columns(self):
        columns = super().columns
        # Room for the name on a phone, where the other columns wrap.
        columns[0].width = "40%"
        return columns

    def get_list_more_buttons(self, instance):
        buttons = list(super().get_list_more_buttons(instance))
        if instance.is_current:
            buttons.append(
                MenuItem(
                    _("Remove from the network"),
                    url=reverse("member:offboard", args=[instance.pk]),
                    icon_name="bin",
                    priority=40,
                )
            )
        return buttons


class OnboardMemberView(generic.CreateView):
    """One form: the member and its first editor's address. Saving creates the
    member, its groups, the editor's account and their invitation email."""

    page_subtitle = gettext_lazy("Add a member and invite its first editor")
    submit_button_label = gettext_lazy("Add and send the invitation")

    def save_instance(self):
        data = self.form.cleaned_data
        return onboard_member(
            name=data["name"],
            slug=data["slug"],
            country=data["country"],
            joined_on=data["joined_on"],
            is_public=data["is_public"],
            first_editor_email=data["first_editor_email"],
            by=self.request.user,
        )

    def form_valid(self, form):
        self.form = form
        try:
            self.object = self.save_instance()
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        return self.save_action()

    def get_success_message(self, instance):
        return _(
            "%(member)s was added. Its first editor has been emailed an invitation."
        ) % {"member": instance}


class MemberEditView(generic.EditView):
    @cached_property
    def header_more_buttons(self):
        buttons = list(super().header_more_buttons)
        if self.object.is_current:
            buttons.append(
                Button(
                    _("Remove from the network"),
                    url=reverse("member:offboard", args=[self.object.pk]),
                    icon_name="bin",
                    priority=40,
                )
            )
        return buttons


class MemberViewSet(ModelViewSet):
    """Member organisations: the Board adds one with its first editor, edits what
    it shows, and removes it from the network, moving its cases on."""

    model = Member
    icon = "group"
    menu_label = gettext_lazy("Member organisations")
    add_item_label = gettext_lazy("Add a member")
    index_view_class = MemberIndexView
    add_view_class = OnboardMemberView
    edit_view_class = MemberEditView
    # A tick or a cross, not "True"; short labels, so that on a phone the name
    # column is not squeezed to a few letters a line.
    list_display = [
        "name",
        "country",
        BooleanColumn("is_public", label=gettext_lazy("Public"), sort_key="is_public"),
        Column("joined_on", label=gettext_lazy("Joined"), sort_key="joined_on"),
        Column("ended_on", label=gettext_lazy("Left"), sort_key="ended_on"),
    ]
    list_filter = ["is_public", "country"]
    search_fields = ["name"]

    def get_form_class(self, for_update=False):
        return MemberForm if for_update else OnboardingForm

    def get_urlpatterns(self):
        kept = [p for p in super().get_urlpatterns() if p.name != "delete"]
        return [
            *kept,
            path("offboard/<int:pk>/", self.offboard_view, name="offboard"),
        ]

    def offboard_view(self, request, pk):
        """GET: what removing the member will do, and to whom its cases go;
        POST: do it."""
        if not is_board_or_superuser(request.user):
            raise PermissionDenied
        member = get_object_or_404(Member, pk=pk)
        if not member.is_current:
            messages.error(
                request,
                _("%(member)s has already left the network.") % {"member": member},
            )
            return redirect(self.get_url_name("index"))
        form = OffboardingForm(request.POST or None, member=member)
        if request.method == "POST" and form.is_valid():
            try:
                record = offboard_member(
                    member=member,
                    reassign_to=form.cleaned_data["reassign_to"],
                    ended_on=form.cleaned_data["ended_on"],
                    by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request,
                    _(
                        "%(member)s has left the network: %(cases)d case(s) "
                        "moved on, %(staff)d staff account(s) signed out."
                    )
                    % {
                        "member": member,
                        "cases": len(record["cases"]),
                        "staff": len(record["staff"]),
                    },
                )
                return redirect(self.get_url_name("index"))
        orphans = orphaned_cases(member)
        return TemplateResponse(
            request,
            "network/admin/offboard.html",
            {
                "member": member,
                "form": form,
                "cases": [
                    case_title(k)
                    for k in member.handlings.values_list("case_key", flat=True)
                ],
                "orphans": [case_title(k) for k in orphans],
                "staff": list(staff_of(member).order_by("email")),
                "index_url": reverse(self.get_url_name("index")),
                "header_icon": self.icon,
            },
        )


# --- Case handling --------------------------------------------------------------


class CaseHandlingFilterSet(WagtailFilterSet):
    member = ModelChoiceFilter(
        label=gettext_lazy("Member"), queryset=Member.objects.all()
    )
    case_key = UUIDFilter(label=gettext_lazy("Case"))

    class Meta:
        model = CaseHandling
        fields = ["member", "role", "case_key"]


class CaseHandlingCreateView(generic.CreateView):
    def save_instance(self):
        data = self.form.cleaned_data
        return handle_case(
            member=data["member"],
            case_key=data["profile"].translation_key,
            role=data["role"],
            role_public=data["role_public"],
            by=self.request.user,
        )


class CaseHandlingEditView(generic.EditView):
    def save_instance(self):
        data = self.form.cleaned_data
        return handle_case(
            member=self.object.member,
            case_key=self.object.case_key,
            role=data["role"],
            role_public=data["role_public"],
            by=self.request.user,
        )


class CaseHandlingDeleteView(generic.DeleteView):
    def delete_action(self):
        stop_handling(
            member=self.object.member,
            case_key=self.object.case_key,
            by=self.request.user,
        )


class CaseHandlingViewSet(ModelViewSet):
    """Which member works on which case, in which role, and whether the role is
    shown on the profile. Each change re-derives the member's page rights."""

    model = CaseHandling
    icon = "clipboard-list"
    menu_label = gettext_lazy("Who handles which case")
    add_item_label = gettext_lazy("Name a member on a case")
    form_class = CaseHandlingForm
    add_view_class = CaseHandlingCreateView
    edit_view_class = CaseHandlingEditView
    delete_view_class = CaseHandlingDeleteView
    filterset_class = CaseHandlingFilterSet
    list_display = [
        TitleColumn(
            "case",
            label=gettext_lazy("Case"),
            accessor=lambda handling: case_title(handling.case_key),
            get_url=lambda handling: reverse("casehandling:edit", args=[handling.pk]),
            # Room for a person's name on a phone, where the other columns wrap.
            width="35%",
        ),
        "member",
        "role",
        BooleanColumn(
            "role_public",
            label=gettext_lazy("Public role"),
            sort_key="role_public",
        ),
    ]

    def get_form_class(self, for_update=False):
        return CaseHandlingForm

    def get_queryset(self, request):
        return CaseHandling.objects.select_related("member")


def case_handlers(case_key, *, user) -> list[str]:
    """'Member (role)' for each member on the case, as `user` may see them: member
    staff are not told of members that keep their membership private, except
    their own."""
    from .access import members_of

    handlings = CaseHandling.objects.filter(case_key=case_key).select_related("member")
    if not is_network_staff(user):
        own = {m.pk for m in members_of(user)}
        handlings = [h for h in handlings if h.member.is_public or h.member.pk in own]
    roles = dict(CaseRole.choices)
    return [f"{h.member} ({roles.get(h.role, h.role)})" for h in handlings]


class NetworkViewSetGroup(ViewSetGroup):
    menu_label = gettext_lazy("Network")
    menu_icon = "group"
    menu_order = 250
    items = (MemberViewSet("member"), CaseHandlingViewSet("casehandling"))
