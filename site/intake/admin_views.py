"""Triage in the admin: the reports sealed to you, opened with your key.

Nothing here reads a report unless the person is one of its recipients and has
unlocked their key in this session; every opening is in the site history."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_POST

from network.models import Member
from prisoners.choices import PaceCriterion

from . import keys, services
from .acceptance import accept_report, move_file_to_documents
from .choices import HelpNeeded, PersecutedBy, Relation
from .models import Attachment, Recipient, RecoveryKey, Report, ReportState
from .uploads import strip_for_download


def _recipient_or_refuse(request) -> Recipient:
    recipient = keys.recipient_of(request.user)
    if recipient is None:
        raise PermissionDenied
    return recipient


def _may_manage(user) -> bool:
    return user.is_active and user.has_perm("intake.manage_recipients")


def report_index(request):
    recipient = keys.recipient_of(request.user)
    if recipient is None and not _may_manage(request.user):
        raise PermissionDenied
    reports = services.visible_reports(recipient=recipient)
    state = request.GET.get("state", "")
    if state in ReportState.values:
        reports = reports.filter(state=state)
    return TemplateResponse(
        request,
        "intake/admin/index.html",
        {
            "recipient": recipient,
            "reports": reports,
            "states": ReportState.choices,
            "state": state,
            "unlocked": keys.unlocked_key(request) is not None,
            "may_manage": _may_manage(request.user),
            "open_for_reports": services.is_open_for_reports(),
            "recovery_key": RecoveryKey.objects.filter(retired_at__isnull=True).first(),
        },
    )


@sensitive_post_parameters()
@sensitive_variables()
def my_key(request):
    """Set up, unlock, lock or change the passphrase of one's own key."""
    recipient = _recipient_or_refuse(request)
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not next_url.startswith("/admin/"):
        next_url = reverse("intake_index")
    if request.method == "POST":
        action = request.POST.get("action")
        response = redirect(next_url)
        try:
            if action == "create":
                if request.POST.get("passphrase") != request.POST.get("repeat"):
                    raise ValidationError(_("The two passphrases differ."))
                keys.create_key(
                    recipient=recipient, passphrase=request.POST.get("passphrase", "")
                )
                keys.lock(request=request, response=response)
                messages.success(request, _("Your key is ready. Unlock it to read."))
                return redirect(reverse("intake_key"))
            if action == "unlock":
                keys.unlock(
                    request=request,
                    response=response,
                    recipient=recipient,
                    passphrase=request.POST.get("passphrase", ""),
                )
                return response
            if action == "lock":
                keys.lock(request=request, response=response)
                messages.success(request, _("Your key is locked."))
                return response
            if action == "change":
                keys.change_passphrase(
                    recipient=recipient,
                    old=request.POST.get("passphrase", ""),
                    new=request.POST.get("new_passphrase", ""),
                )
                messages.success(request, _("Your passphrase was changed."))
                return redirect(reverse("intake_key"))
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        except PermissionDenied as error:
            messages.error(request, str(error))
    return TemplateResponse(
        request,
        "intake/admin/key.html",
        {
            "recipient": recipient,
            "unlocked": keys.unlocked_key(request) is not None,
            "next": next_url,
        },
    )


def _labels(content: dict) -> dict:
    """The reporter's choices in words, as they saw them on the form."""
    relations = dict(Relation.choices)
    by = dict(PersecutedBy.choices)
    help_needed = dict(HelpNeeded.choices)
    return {
        "relation": relations.get(content.get("relation"), content.get("relation")),
        "persecuted_by": [by.get(v, v) for v in content.get("persecuted_by", [])],
        "help_needed": [help_needed.get(v, v) for v in content.get("help_needed", [])],
    }


def _report_for(request, report_id) -> tuple[Report, Recipient]:
    recipient = _recipient_or_refuse(request)
    report = get_object_or_404(
        services.visible_reports(recipient=recipient), pk=report_id
    )
    return report, recipient


@sensitive_variables()
def report_detail(request, report_id):
    report, recipient = _report_for(request, report_id)
    key = keys.unlocked_key(request)
    if key is None:
        return redirect(f"{reverse('intake_key')}?next={request.path}")
    try:
        opened = services.open_report(
            report=report, recipient=recipient, key=key, user=request.user
        )
    except services.ReportLocked:
        messages.error(
            request,
            _(
                "This report was sealed to an earlier key of yours. A colleague "
                "opening it shares it with your new key."
            ),
        )
        return redirect("intake_index")
    services.mark_seen(report=report)
    for item in opened:
        if item.entry.kind == "report":
            item.labels = _labels(item.content)
    profile = None
    if report.profile_key:
        from prisoners.models import PrisonerPage

        profile = PrisonerPage.objects.filter(
            translation_key=report.profile_key
        ).first()
    return TemplateResponse(
        request,
        "intake/admin/detail.html",
        {
            "report": report,
            "recipient": recipient,
            "entries": opened,
            "first": next((o.content for o in opened if o.entry.kind == "report"), {}),
            "criteria": PaceCriterion.choices,
            "members": Member.objects.current().order_by("name"),
            "closed": report.state in ("accepted", "declined", "referred"),
            "profile": profile,
        },
    )


@require_POST
@sensitive_post_parameters()
@sensitive_variables()
def report_action(request, report_id):
    report, recipient = _report_for(request, report_id)
    key = keys.unlocked_key(request)
    if key is None:
        return redirect(f"{reverse('intake_key')}?next={report_url(report)}")
    action = request.POST.get("action")
    post = request.POST
    common = {"report": report, "recipient": recipient, "key": key, "by": request.user}
    try:
        if action == "assess":
            chosen = [c for c in post.getlist("criteria") if c in PaceCriterion.values]
            services.assess_report(**common, criteria=chosen, note=post.get("note", ""))
            messages.success(request, _("Assessment saved."))
        elif action == "assign":
            member = get_object_or_404(Member, pk=post.get("member") or 0)
            services.assign_report(**common, member=member)
            messages.success(
                request,
                _("Assigned to %(member)s and sealed again for its readers.")
                % {"member": member.name},
            )
        elif action == "reply":
            services.reply_to_reporter(**common, text=post.get("text", ""))
            messages.success(
                request, _("Reply sent; the reporter reads it with their code.")
            )
        elif action == "accept":
            page = accept_report(**common, title=post.get("title", ""))
            messages.success(
                request,
                _(
                    "Accepted. A draft profile was created; it needs consent and "
                    "review."
                ),
            )
            return redirect("wagtailadmin_pages:edit", page.pk)
        elif action == "decline":
            services.decline_report(**common)
            messages.success(request, _("Declined."))
        elif action == "refer":
            to = post.get("referred_to", "").strip()
            if not to:
                raise ValidationError(_("Say to whom the case is referred."))
            services.decline_report(**common, referred_to=to)
            messages.success(request, _("Referred."))
        elif action == "move_file":
            document = move_file_to_documents(
                **common, attachment_id=int(post.get("attachment") or 0)
            )
            messages.success(
                request,
                _("Moved to the documents as “%(title)s”.") % {"title": document.title},
            )
        elif action == "moved":
            services.mark_materials_moved(**common)
            messages.success(
                request,
                _("Noted. The report will be destroyed at the next retention run."),
            )
        else:
            raise ValidationError(_("Unknown action."))
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    except services.ReportLocked:
        messages.error(request, _("Your key does not open this report."))
    except Attachment.DoesNotExist:
        messages.error(request, _("That file is no longer in the report."))
    if not services.visible_reports(recipient=recipient).filter(pk=report.pk).exists():
        return redirect("intake_index")
    return redirect(report_url(report))


def report_url(report: Report) -> str:
    return reverse("intake_report", args=[report.pk])


@sensitive_variables()
def download_attachment(request, report_id, attachment_id):
    report, recipient = _report_for(request, report_id)
    key = keys.unlocked_key(request)
    if key is None:
        raise PermissionDenied
    attachment = get_object_or_404(Attachment, pk=attachment_id, entry__report=report)
    try:
        meta, data = services.open_attachment(
            attachment=attachment, recipient=recipient, key=key, user=request.user
        )
    except services.ReportLocked as error:
        raise PermissionDenied from error
    content_type = meta.get("content_type", "application/octet-stream")
    response = HttpResponse(
        strip_for_download(data=data, content_type=content_type),
        content_type=content_type,
    )
    response["Content-Disposition"] = "attachment"
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def recipients(request):
    """Who reads reports: appointed by those who run the site."""
    if not _may_manage(request.user):
        raise PermissionDenied
    User = get_user_model()
    if request.method == "POST":
        if request.POST.get("action") == "remove":
            Recipient.objects.filter(pk=request.POST.get("recipient")).delete()
            messages.success(
                request, _("Removed. Reports are no longer sealed to them.")
            )
            return redirect("intake_recipients")
        email = request.POST.get("email", "").strip()
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        member = (
            Member.objects.current().filter(pk=request.POST.get("member") or 0).first()
        )
        if user is None:
            messages.error(request, _("No active account has this address."))
        elif not user.has_perm("wagtailadmin.access_admin"):
            messages.error(request, _("Only staff who use the admin can read reports."))
        elif (
            member is not None
            and not member.staff_groups.filter(group__user=user).exists()
        ):
            messages.error(
                request,
                _("Only %(member)s's own staff can read its reports.")
                % {"member": member.name},
            )
        elif Recipient.objects.filter(user=user).exists():
            messages.error(request, _("This person already reads reports."))
        else:
            Recipient.objects.create(user=user, member=member)
            messages.success(
                request,
                _("Appointed. They set their own passphrase, under Case reports."),
            )
            return redirect("intake_recipients")
    return TemplateResponse(
        request,
        "intake/admin/recipients.html",
        {
            "recipients": Recipient.objects.select_related("user", "member").order_by(
                "member__name", "user__email"
            ),
            "members": Member.objects.current().order_by("name"),
            "open_for_reports": services.is_open_for_reports(),
            "recovery_key": RecoveryKey.objects.filter(retired_at__isnull=True).first(),
        },
    )
