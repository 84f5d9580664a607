"""Staff pages of reports (request, follow, download, publish) and the public download of published ones."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.cache import get_conditional_response
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from lublin2030 import queue
from lublin2030.permissions import permission_required, require_permission
from stages.selectors import current_stage_among

from . import selectors, services, tasks
from .forms import ReportPublishForm, ReportRequestForm
from .models import Report, ReportStatus

HTMX_STOP_POLLING = 286  # htmx stops polling an element when its request answers with this status


def _staff_report(pk: int) -> Report:
    report = selectors.report_for_staff(pk)
    if report is None:
        raise Http404
    return report


def _status_context(request, report: Report, *, stages=None, current_stage=None) -> dict:
    can_publish = request.user.has_perm("reports.publish_report")
    publish_form = None
    if can_publish and report.is_done:
        if stages is None:
            stages = list(selectors.stages_for_publishing())
            current_stage = current_stage_among(stages)
        # A report is usually published on the stage the process is in, not on stage I.
        proposed = report.published_stage_id or (current_stage.pk if current_stage else None)
        publish_form = ReportPublishForm(prefix=f"report-{report.pk}", initial={"stage": proposed}, stages=stages)
    return {
        "report": report,
        "announcement": _announcement(report),
        "can_request": request.user.has_perm("reports.request_report"),
        "can_publish": can_publish,
        "publish_form": publish_form,
    }


def _announcement(report: Report) -> str:
    """What the page's live region says when this changes: status, and progress in quarters."""
    title = report.display_title
    if report.is_active:
        return _("“%(title)s”: %(status)s, %(progress)s %%") % {
            "title": title,
            "status": report.get_status_display(),
            "progress": report.progress // 25 * 25,
        }
    if report.status == ReportStatus.DONE:
        return _("“%(title)s” is ready to download.") % {"title": title}
    return _("“%(title)s” failed: %(error)s") % {"title": title, "error": report.error_message}


def _waiting_message(report) -> str:
    return _(
        "The background processing service is unavailable right now: “%(title)s” waits and will start by "
        "itself as soon as the service is back."
    ) % {"title": report.display_title}


@method_decorator(permission_required("reports.read_report"), name="dispatch")
class ReportListView(View):
    template_name = "reports/report_list.html"

    def get(self, request):
        return self._render(ReportRequestForm() if request.user.has_perm("reports.request_report") else None)

    def post(self, request):
        require_permission(request.user, "reports.request_report")
        form = ReportRequestForm(request.POST)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            report = services.report_request(
                actor=request.user,
                kind=form.cleaned_data["kind"],
                area=form.cleaned_data["area"],
                language=form.cleaned_data["language"],
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self._render(form, status=400)
        if report.status == ReportStatus.FAILED:
            messages.error(request, report.error_message)
        elif report.status == ReportStatus.DONE:
            messages.success(request, _("The report is ready: “%(title)s”.") % {"title": report.display_title})
        elif queue.is_waiting(tasks.run_report, report.pk, report.run):
            messages.warning(request, _waiting_message(report))
        else:
            messages.success(
                request,
                _("The report “%(title)s” is being generated. Its progress is shown below.")
                % {"title": report.display_title},
            )
        return redirect("reports:list")

    def _render(self, form, status=200):
        reports = list(selectors.report_list())
        if any(services.is_stale(report) for report in reports):
            # The on-read sweep: a report whose worker died is re-queued or failed right here.
            services.reports_sweep()
            reports = list(selectors.report_list())
        stages = list(selectors.stages_for_publishing()) if any(report.is_done for report in reports) else []
        current_stage = current_stage_among(stages) if stages else None
        rows = [_status_context(self.request, report, stages=stages, current_stage=current_stage) for report in reports]
        waiting = any(report.status == ReportStatus.QUEUED for report in reports) and queue.outbox_size() > 0
        context = {
            "form": form,
            "rows": rows,
            "broker_unavailable": waiting,
            "can_request": self.request.user.has_perm("reports.request_report"),
        }
        return render(self.request, self.template_name, context, status=status)


@never_cache
@require_GET
@permission_required("reports.read_report")
def report_status(request, pk):
    """The status cell of one report, polled by htmx while the report is being generated."""
    report = services.report_sweep_if_stale(_staff_report(pk))
    html = render_to_string("reports/_status.html", _status_context(request, report), request=request)
    return HttpResponse(html, status=200 if report.is_active else HTMX_STOP_POLLING)


@never_cache
@require_GET
@permission_required("reports.read_report")
def report_download(request, pk):
    report = _staff_report(pk)
    response = _file_response(report, as_attachment=True)
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def public_download(request, pk, name):
    """Published reports only: a public document of the process, shown on its stage's page.

    Shared caches may keep it but must ask again before every reuse (`no-cache`, answered with 304
    while the ETag holds): a withdrawn report is never served from a cache, and the 404 that
    replaces it is stored nowhere.
    """
    report = selectors.published_report(pk)
    if report is None or not request.user.has_perm("reports.download_published_report", report):
        response = render(request, "404.html", status=404)
        response["Cache-Control"] = "private, no-store"
        return response
    stamps = [int(moment.timestamp()) if moment else 0 for moment in (report.finished_at, report.published_at)]
    etag = f'"report-{report.pk}-{stamps[0]}-{stamps[1]}-{report.published_stage_id}"'
    response = get_conditional_response(request, etag=etag) or _file_response(report, as_attachment=False)
    response["ETag"] = etag
    response["Cache-Control"] = "public, no-cache"
    return response


def _file_response(report: Report, *, as_attachment: bool) -> FileResponse:
    if not report.is_done:
        raise Http404
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    path = report.path.resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    return FileResponse(
        path.open("rb"), as_attachment=as_attachment, filename=report.download_name, content_type="application/pdf"
    )


@require_POST
@permission_required("reports.request_report")
def report_retry(request, pk):
    report = _staff_report(pk)
    try:
        report = services.report_retry(actor=request.user, report=report)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:list")
    if report.status == ReportStatus.FAILED:
        messages.error(request, report.error_message)
    else:
        messages.success(
            request, _("The report “%(title)s” is being generated again.") % {"title": report.display_title}
        )
    return redirect("reports:list")


@require_POST
@permission_required("reports.publish_report")
def report_publish(request, pk):
    report = _staff_report(pk)
    form = ReportPublishForm(request.POST, prefix=f"report-{report.pk}", stages=selectors.stages_for_publishing())
    if not form.is_valid():
        messages.error(request, _("Choose the stage on whose page the report appears."))
        return redirect("reports:list")
    try:
        report = services.report_publish(actor=request.user, report=report, stage=form.cleaned_data["stage"])
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("reports:list")
    messages.success(
        request,
        _("“%(title)s” is published on the page of stage %(stage)s.")
        % {"title": report.display_title, "stage": report.published_stage},
    )
    return redirect("reports:list")


@require_POST
@permission_required("reports.publish_report")
def report_unpublish(request, pk):
    report = services.report_unpublish(actor=request.user, report=_staff_report(pk))
    messages.success(request, _("“%(title)s” is no longer public.") % {"title": report.display_title})
    return redirect("reports:list")
