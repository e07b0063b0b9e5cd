"""Admin → Import a register: upload, dry run, progress and the per-row report."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.views.decorators.http import require_POST

from prisoners.models import RegisterImport
from prisoners.models.register_import import ImportState

from .access import may_import_register
from .columns import COLUMNS
from .forms import RegisterUploadForm
from .services import confirm_import, start_import

SAMPLE = Path(__file__).with_name("sample_register.csv")
SHOWN_ROWS = 500


def _refuse_unless_allowed(request):
    if not may_import_register(request.user):
        raise PermissionDenied


def _own_job(request, job_id) -> RegisterImport:
    """Imports hold names: each is seen by whoever started it (and superusers)."""
    _refuse_unless_allowed(request)
    jobs = RegisterImport.objects.all()
    if not request.user.is_superuser:
        jobs = jobs.filter(created_by=request.user)
    return get_object_or_404(jobs, pk=job_id)


def upload(request):
    _refuse_unless_allowed(request)
    form = RegisterUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        job = start_import(
            user=request.user,
            file_name=form.cleaned_data["register_file"].name,
            rows=form.rows,
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("register_import_status", job.pk)
    recent = RegisterImport.objects.filter(created_by=request.user).defer("rows")[:10]
    return TemplateResponse(
        request,
        "prisoners/register_import/upload.html",
        {"form": form, "columns": COLUMNS, "recent": recent},
    )


def status(request, job_id):
    job = _own_job(request, job_id)
    details = job.report.get("details", [])
    return TemplateResponse(
        request,
        "prisoners/register_import/status.html",
        {
            "job": job,
            "running": job.state in (ImportState.PENDING, ImportState.RUNNING),
            "report": job.report,
            "details": details[:SHOWN_ROWS],
            "more": max(0, len(details) - SHOWN_ROWS),
            "problems": [d for d in details if d["errors"] or d["duplicates"]][
                :SHOWN_ROWS
            ],
        },
    )


def progress(request, job_id):
    """For a script or a monitor: how far the import is, no names."""
    job = _own_job(request, job_id)
    return JsonResponse(
        {
            "state": job.state,
            "dry_run": job.dry_run,
            "processed": job.processed,
            "total": job.total,
            "percent": job.percent,
            **{
                k: job.report.get(k, 0)
                for k in ("created", "updated", "errors", "duplicates")
            },
        }
    )


@require_POST
def confirm(request, job_id):
    job = _own_job(request, job_id)
    if not (job.dry_run and job.state == ImportState.DONE and job.rows):
        raise PermissionDenied
    confirm_import(job=job)
    return redirect("register_import_status", job.pk)


def sample(request):
    _refuse_unless_allowed(request)
    return FileResponse(
        SAMPLE.open("rb"),
        as_attachment=True,
        filename="sample_register.csv",
        content_type="text/csv; charset=utf-8",
    )
