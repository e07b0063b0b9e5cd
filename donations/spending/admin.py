"""The admin of spending: case budgets (Editors and the Board), payees, allocations
and disbursements (the Board only). Drafting, approving, rejecting, withdrawing and
reversing go through `donations.spending.services`; nothing here edits or deletes an
entry, and each entry's history is Wagtail's audit log."""

from functools import partial

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Subquery
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import FormView
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.views.generic import InspectView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.history import HistoryView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import AdminPageChooser
from wagtail.models import ModelLogEntry
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy

from accounts.roles import is_board_member
from donations.ledger import services as ledger
from donations.ledger.money import format_money
from donations.models import (
    Account,
    Allocation,
    CaseBudgetLine,
    Disbursement,
    EntryStatus,
    Payee,
)
from donations.spending import services as allocations
from donations.spending.forms import (
    AllocationForm,
    CaseBudgetLineForm,
    DecisionForm,
    DisbursementForm,
    PayeeForm,
    ReversalForm,
)
from solidarity.exports import SafeExportViewSetMixin


class SpendingPermissionPolicy(ModelPermissionPolicy):
    """Model permissions, with actions nobody has (spending records are never
    edited or deleted, payees and budget lines never deleted) and, for the
    Board's records, membership of the Board group on top: superusers too."""

    def __init__(self, model, *, board_only: bool, denied: frozenset[str]):
        super().__init__(model)
        self.board_only = board_only
        self.denied = denied

    def user_has_permission(self, user, action):
        if action in self.denied:
            return False
        if self.board_only and not is_board_member(user):
            return False
        return super().user_has_permission(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)


for _model, _board_only, _denied in (
    (Payee, True, {"delete"}),
    (Allocation, True, {"change", "delete"}),
    (Disbursement, True, {"change", "delete"}),
    (CaseBudgetLine, False, {"delete"}),
):
    register_permission_policy(
        _model,
        SpendingPermissionPolicy(
            _model, board_only=_board_only, denied=frozenset(_denied)
        ),
        exact_class=True,
    )


class EuroColumn(Column):
    cell_template_name = "donations/admin/euro_cell.html"


def title_of(key_field: str) -> Subquery:
    """The title of the page with the translation key in `key_field`, in the
    reader's language when it has a version in it: one subquery, not one query per
    row."""
    from wagtail.models import Page

    pages = Page.objects.filter(translation_key=OuterRef(key_field))
    return Subquery(allocations.pages_in_reader_order(pages).values("title")[:1])


def _fund_name(entry) -> str:
    fund = entry.fund
    if fund.fund_type == Account.FundType.GENERAL:
        return str(fund.get_fund_type_display())
    title = getattr(entry, "fund_title", None) or allocations.case_title(
        fund.subject_key
    )
    return f"{fund.get_fund_type_display()}: {title}"


def _case_name(entry) -> str:
    # Annotated by the viewsets' querysets; looked up for a row that is not.
    title = getattr(entry, "case_title", None)
    return title or allocations.case_title(entry.case_key)


CASE_COLUMN = Column("case", label=gettext_lazy("Case"), accessor=_case_name)


# --- Budgets and payees ---------------------------------------------------------------


class CaseBudgetLineViewSet(SafeExportViewSetMixin, ModelViewSet):
    """Planned amounts per case and category. Lines are edited, never deleted (set
    a line to zero instead), so the audit log keeps every plan."""

    model = CaseBudgetLine
    url_prefix = "spending/budgets"
    icon = "list-ol"
    menu_label = gettext_lazy("Case budgets")
    add_to_admin_menu = False
    list_display = [CASE_COLUMN, "category", EuroColumn("planned_amount"), "updated_at"]
    list_filter = ["category"]
    list_export = ["case", "case_key", "category", "planned_amount", "note"]
    export_filename = "case-budgets"

    def get_queryset(self, request):
        return CaseBudgetLine.objects.annotate(case_title=title_of("case_key"))

    @cached_property
    def edit_handler(self):
        return ObjectList(
            [
                FieldPanel(
                    "case",
                    widget=AdminPageChooser(target_models=["prisoners.PrisonerPage"]),
                ),
                FieldPanel("category"),
                FieldPanel("planned_amount"),
                FieldPanel("note"),
            ],
            base_form_class=CaseBudgetLineForm,
        )


class PayeeViewSet(ModelViewSet):
    model = Payee
    url_prefix = "spending/payees"
    icon = "user"
    menu_label = gettext_lazy("Payees")
    add_to_admin_menu = False
    list_display = ["name", "kind", "country", "member"]
    list_filter = ["kind"]
    search_fields = ["name"]

    @cached_property
    def edit_handler(self):
        return ObjectList(
            [
                FieldPanel("name"),
                FieldPanel("kind"),
                FieldPanel("country"),
                FieldPanel("member"),
                FieldPanel("details"),
            ],
            base_form_class=PayeeForm,
        )


# --- Allocations and disbursements: shared views --------------------------------------


class EntryInspectView(InspectView):
    """An entry, what can be done with it now, and its audit history."""

    template_name = "donations/admin/entry_inspect.html"
    namespace = ""

    def get_amount_display_value(self):
        return format_money(self.object.amount)

    def get_overdraft_amount_display_value(self):
        return format_money(self.object.overdraft_amount)

    def fund_available(self, entry) -> str | None:
        """For an allocation awaiting a decision: what its fund has available."""
        fund = getattr(entry, "fund", None)
        if fund is None or entry.is_reversal:
            return None
        return _("%(fund)s has %(amount)s available.") % {
            "fund": allocations.fund_label(fund),
            "amount": format_money(ledger.fund_available(fund)),
        }

    def get_fund_display_value(self):
        return allocations.fund_label(self.object.fund)

    def get_carried_out_by_display_value(self):
        member = self.object.carried_out_by
        return str(member) if member else _("No member (the network pays directly)")

    def get_case_display_value(self):
        return allocations.case_title(self.object.case_key)

    def get_original_amount_display_value(self):
        entry = self.object
        if entry.original_amount is None:
            return "—"
        return format_money(entry.original_amount, entry.original_currency)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        entry, user = self.object, self.request.user
        pending = entry.status == EntryStatus.PENDING
        context.update(
            entry=entry,
            amount=format_money(entry.amount),
            can_decide=pending
            and is_board_member(user)
            and entry.drafted_by_id != user.pk,
            can_withdraw=pending and entry.drafted_by_id == user.pk,
            decision_form=DecisionForm(),
            fund_available=self.fund_available(entry) if pending else None,
            history=ModelLogEntry.objects.for_instance(entry)
            .select_related("user")
            .order_by("timestamp"),
            namespace=self.namespace,
        )
        return context


class EntryHistoryView(HistoryView):
    """The audit log of an entry, which has nothing to edit."""

    @cached_property
    def header_buttons(self):
        return []


class EntryActionMixin(WagtailAdminTemplateMixin):
    """Views that act on one entry: Board members only."""

    model: type = Allocation
    namespace = ""

    def dispatch(self, request, *args, **kwargs):
        if not is_board_member(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def inspect_url(self, entry) -> str:
        return reverse(f"{self.namespace}:inspect", args=[entry.pk])


def _decide(request, pk: int, *, model, namespace: str, action: str):
    if not is_board_member(request.user):
        raise PermissionDenied
    entry = get_object_or_404(model, pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("note", "")
    try:
        if action == "approve" and model is Allocation:
            allocations.allocation_approve(
                allocation=entry,
                approver=request.user,
                approve_overdraft=form.cleaned_data.get("approve_overdraft", False),
                note=note,
            )
        elif action == "approve":
            allocations.disbursement_approve(
                disbursement=entry, approver=request.user, note=note
            )
        elif action == "reject":
            allocations.entry_reject(entry=entry, approver=request.user, note=note)
        else:
            allocations.entry_withdraw(entry=entry, user=request.user)
    except allocations.BoardRuleError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            {
                "approve": _("Approved and posted to the ledger."),
                "reject": _("Rejected: nothing was posted."),
                "withdraw": _("Withdrawn: nothing was posted."),
            }[action],
        )
    return redirect(reverse(f"{namespace}:inspect", args=[pk]))


class EntryViewSet(SafeExportViewSetMixin, ModelViewSet):
    """What allocations and disbursements share: Board only, no edit or delete."""

    inspect_view_enabled = True
    inspect_view_class = EntryInspectView
    inspect_view_fields_exclude = ["id", "public_id", "invoice", "case_key"]
    history_view_class = EntryHistoryView
    # Entries are drafted through services, never through a model form.
    form_fields: list[str] = []
    list_filter = ["status", "category"]
    create_form_class: type = FormView
    reversal_view_class: type = FormView

    def get_inspect_view_kwargs(self, **kwargs):
        return {**super().get_inspect_view_kwargs(**kwargs), "namespace": self.name}

    def get_urlpatterns(self):
        # Drafting goes through the services, so "add" is ours.
        kept = [p for p in super().get_urlpatterns() if p.name != "add"]
        actions = [
            path(
                f"<int:pk>/{action}/",
                require_POST(
                    partial(
                        _decide, model=self.model, namespace=self.name, action=action
                    )
                ),
                name=action,
            )
            for action in ("approve", "reject", "withdraw")
        ]
        return [
            *kept,
            *actions,
            path(
                "add/",
                self.create_form_class.as_view(namespace=self.name, model=self.model),
                name="add",
            ),
            path(
                "<int:pk>/reverse/",
                self.reversal_view_class.as_view(namespace=self.name, model=self.model),
                name="reverse",
            ),
        ]


# --- Allocations ----------------------------------------------------------------------


class AllocationCreateView(EntryActionMixin, FormView):
    form_class = AllocationForm
    template_name = "donations/admin/entry_form.html"
    page_title = gettext_lazy("Draft an allocation")
    header_icon = "pick"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        funds = [ledger.fund_account(fund_type=Account.FundType.GENERAL)]
        context["available"] = [
            (allocations.fund_label(fund), format_money(amount))
            for fund, amount in zip(
                funds, ledger.fund_availability(funds).values(), strict=True
            )
        ]
        context["intro"] = _(
            "A different Board member must approve the allocation before it is "
            "posted. A restricted fund cannot be over-committed."
        )
        return context

    def form_valid(self, form):
        try:
            entry = allocations.allocation_draft(
                fund=form.fund_account(),
                case=form.cleaned_data["case"],
                category=form.cleaned_data["category"],
                amount=form.cleaned_data["amount"],
                purpose=form.cleaned_data["purpose"],
                carried_out_by=form.cleaned_data.get("carried_out_by"),
                drafted_by=self.request.user,
            )
        except allocations.BoardRuleError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Drafted: it now awaits another's approval."))
        return redirect(self.inspect_url(entry))


class ReversalView(EntryActionMixin, FormView):
    """Drafting the reversal of an approved entry, up to what can be reversed."""

    form_class = ReversalForm
    template_name = "donations/admin/entry_form.html"
    header_icon = "undo"

    @cached_property
    def entry(self):
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "maximum": max(self.reversible(), 0)}

    def form_valid(self, form):
        try:
            reversal = self.draft(
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                drafted_by=self.request.user,
            )
        except allocations.BoardRuleError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        return redirect(self.inspect_url(reversal))


class AllocationReversalView(ReversalView):
    page_title = gettext_lazy("Reverse an allocation")

    def reversible(self) -> int:
        return allocations.allocation_unpaid(self.entry, with_pending=True)

    def draft(self, **kwargs):
        return allocations.allocation_reversal_draft(allocation=self.entry, **kwargs)


class AllocationViewSet(EntryViewSet):
    model = Allocation
    url_prefix = "spending/allocations"
    icon = "pick"
    menu_label = gettext_lazy("Allocations")
    add_to_admin_menu = False
    list_display = [
        "__str__",
        CASE_COLUMN,
        "category",
        EuroColumn("amount"),
        Column("fund", label=gettext_lazy("From fund"), accessor=_fund_name),
        "carried_out_by",
        "status",
        "drafted_by",
        "decided_by",
    ]
    list_export = [
        "public_id", "drafted_at", "case_key", "category", "amount", "fund",
        "carried_out_by", "status", "drafted_by", "decided_by", "decided_at",
        "overdraft_amount", "purpose",
    ]  # fmt: skip
    export_filename = "allocations"
    create_form_class = AllocationCreateView
    reversal_view_class = AllocationReversalView

    def get_queryset(self, request):
        return Allocation.objects.select_related(
            "fund", "carried_out_by", "drafted_by", "decided_by"
        ).annotate(
            case_title=title_of("case_key"), fund_title=title_of("fund__subject_key")
        )


# --- Disbursements --------------------------------------------------------------------


class DisbursementCreateView(EntryActionMixin, FormView):
    form_class = DisbursementForm
    template_name = "donations/admin/entry_form.html"
    page_title = gettext_lazy("Record a payment")
    header_icon = "doc-full"

    @cached_property
    def allocation(self):
        return get_object_or_404(
            Allocation,
            pk=self.request.POST.get("allocation", self.request.GET.get("allocation")),
            status=EntryStatus.APPROVED,
            reverses=None,
        )

    def get_initial(self):
        # Shown so the Board sees whose work it is; a member that has left is no
        # choice any more, and an empty field inherits it anyway.
        member = self.allocation.carried_out_by
        if member is not None and member.is_current:
            return {"carried_out_by": member.pk}
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["allocation"] = self.allocation
        context["intro"] = _(
            "Against %(allocation)s: %(left)s left to pay. A different Board member "
            "must approve the payment before it is posted."
        ) % {
            "allocation": self.allocation,
            "left": format_money(
                allocations.allocation_unpaid(self.allocation, with_pending=True)
            ),
        }
        return context

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            entry = allocations.disbursement_draft(
                allocation=self.allocation,
                payee=data["payee"],
                paid_on=data["paid_on"],
                amount=data["amount"],
                original_currency=data["original_currency"],
                original_amount=form.original_minor(),
                reference=data["reference"],
                invoice=data.get("invoice"),
                carried_out_by=data.get("carried_out_by"),
                drafted_by=self.request.user,
            )
        except allocations.BoardRuleError as error:
            form.add_error(None, str(error))
            return self.form_invalid(form)
        messages.success(self.request, _("Recorded: it now awaits another's approval."))
        return redirect(self.inspect_url(entry))


class DisbursementReversalView(ReversalView):
    page_title = gettext_lazy("Reverse a payment")

    def reversible(self) -> int:
        return allocations.disbursement_unreversed(self.entry, with_pending=True)

    def draft(self, **kwargs):
        return allocations.disbursement_reversal_draft(
            disbursement=self.entry, **kwargs
        )


def invoice_download(request, pk: int):
    """An invoice names its payee: the Board only, never cached."""
    if not is_board_member(request.user):
        raise PermissionDenied
    entry = get_object_or_404(Disbursement, pk=pk)
    if not entry.invoice:
        raise Http404
    response = FileResponse(entry.invoice.open("rb"), as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    return response


class DisbursementViewSet(EntryViewSet):
    model = Disbursement
    url_prefix = "spending/payments"
    icon = "doc-full"
    menu_label = gettext_lazy("Disbursements")
    add_to_admin_menu = False
    list_display = [
        "__str__",
        CASE_COLUMN,
        "paid_on",
        "category",
        EuroColumn("amount"),
        "payee",
        "carried_out_by",
        "status",
        "drafted_by",
        "decided_by",
    ]
    list_export = [
        "public_id", "paid_on", "case_key", "category", "amount",
        "original_currency", "original_amount", "payee", "carried_out_by",
        "reference", "status", "drafted_by", "decided_by", "decided_at",
    ]  # fmt: skip
    export_filename = "disbursements"
    create_form_class = DisbursementCreateView
    reversal_view_class = DisbursementReversalView

    def get_queryset(self, request):
        return Disbursement.objects.select_related(
            "payee", "allocation", "carried_out_by", "drafted_by", "decided_by"
        ).annotate(case_title=title_of("case_key"))

    def get_urlpatterns(self):
        return [
            *super().get_urlpatterns(),
            path("<int:pk>/invoice/", invoice_download, name="invoice"),
        ]
