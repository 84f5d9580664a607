"""The consultation report: its public page (one chapter's table at a time), its PDF and exports, and the
coordinators' page that generates and publishes it."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from lublin2030.permissions import permission_required, require_permission
from reports.models import Report, ReportKind, ReportStatus

from . import exports, services
from .report_data import report_data
from .views import readable


def _report_readable(request, consultation) -> bool:
    """Anyone once published; the consultation's staff once generated (a preview)."""
    if consultation.report_published_at:
        return True
    return bool(consultation.report_generated_at) and request.user.has_perm("consultation.read_triage", consultation)


def latest_pdf(consultation) -> Report | None:
    """The newest finished PDF of the report as generated now (an older generation's PDF is not it)."""
    if not consultation.report_generated_at:
        return None
    return (
        Report.objects.filter(
            kind=ReportKind.CONSULTATION,
            subject_id=consultation.pk,
            status=ReportStatus.DONE,
            queued_at__gte=consultation.report_generated_at,
        )
        .exclude(file="")
        .order_by("-finished_at", "-id")
        .first()
    )


@require_GET
def report(request, pk: int):
    consultation = readable(request, pk)
    if not _report_readable(request, consultation):
        raise Http404
    data = report_data(consultation)
    part = request.GET.get("czesc", "")
    group = next((g for g in data.groups if g.anchor == part), data.groups[0] if data.groups else None)
    context = {
        "consultation": consultation,
        "data": data,
        "group": group,
        "pdf": latest_pdf(consultation),
        "preview": not consultation.report_published_at,
    }
    return render(request, "consultation/report.html", context)


@require_GET
def report_pdf(request, pk: int):
    consultation = readable(request, pk)
    pdf = latest_pdf(consultation) if _report_readable(request, consultation) else None
    if pdf is None:
        raise Http404
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    path = pdf.path.resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    name = f"sprawozdanie-z-konsultacji-{consultation.pk}.pdf"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
    response["Cache-Control"] = "public, max-age=3600" if consultation.report_published_at else "private, no-store"
    return response


@require_GET
def report_export(request, pk: int, fmt: str):
    consultation = readable(request, pk)
    if fmt not in exports.FORMATS or not _report_readable(request, consultation):
        raise Http404
    data = report_data(consultation)
    name = exports.filename(data, fmt)
    if fmt == "xlsx":
        response = StreamingHttpResponse(exports.xlsx_stream(data), content_type=exports.FORMATS[fmt])
    elif fmt == "csv":
        response = HttpResponse(exports.csv_bytes(data), content_type=exports.FORMATS[fmt])
    else:
        response = HttpResponse(exports.json_bytes(data), content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("consultation.read_triage")
@require_http_methods(["GET", "HEAD", "POST"])
def staff_report(request, pk: int):
    consultation = readable(request, pk)
    if request.method == "POST":
        action = request.POST.get("action")
        step = {
            "generate": services.report_generate,
            "publish": services.report_publish,
            "pdf": services.report_pdf_request,
        }.get(action)
        if step is None:
            raise Http404
        require_permission(request.user, f"consultation.{'publish' if action == 'publish' else 'generate'}_report")
        try:
            step(actor=request.user, consultation=consultation)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                {
                    "generate": _("The report is generated; its PDF is being made."),
                    "publish": _("The report is published; the online commenters are being e-mailed."),
                    "pdf": _("The PDF is being made again."),
                }[action],
            )
        return redirect("consultation:staff_report", pk=consultation.pk)
    pdfs = Report.objects.filter(kind=ReportKind.CONSULTATION, subject_id=consultation.pk).order_by("-queued_at")[:5]
    context = {
        "consultation": consultation,
        "problems": services.report_problems(consultation),
        "pdf": latest_pdf(consultation),
        "pdfs": list(pdfs),
    }
    return render(request, "consultation/staff/report.html", context)
