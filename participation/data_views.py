"""Staff data pages: import offline opinions (upload → preview → confirm) and export them."""

import logging

from django.contrib import messages
from django.contrib.humanize.templatetags.humanize import intcomma
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lublin2030.permissions import permission_required

from . import exports, imports
from .data_forms import ExportForm, ImportConfirmForm, ImportUploadForm
from .models import ImportJob

logger = logging.getLogger(__name__)

SESSION_KEY = "participation_import"
IMPORT_PERMISSION = "participation.import_opinions"
EXPORT_PERMISSION = "participation.export_opinions"


class LimitedUploadHandler(FileUploadHandler):
    """Stops reading an upload past the import limit, so a huge file never fills the disk."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.declared_too_large = False

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # Raising here would escape the parser as a 500: refuse at the first file chunk instead.
        self.declared_too_large = bool(content_length and content_length > imports.MAX_UPLOAD_BYTES + 64 * 1024)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.declared_too_large or self.received > imports.MAX_UPLOAD_BYTES:
            self.request.import_upload_too_large = True
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size):
        return None


@csrf_exempt
@permission_required(IMPORT_PERMISSION)
def import_upload(request):
    """GET: the upload form. POST: store the file privately, then show its preview."""
    if request.method == "POST":
        request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _import_upload(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _import_upload(request):
    if request.method != "POST":
        return _render_upload(request, ImportUploadForm())
    form = ImportUploadForm(request.POST, request.FILES)
    if getattr(request, "import_upload_too_large", False):
        # Reading stopped at the limit, so the file and the fields after it never arrived: say only
        # what is wrong, not that they are missing.
        form.is_valid()
        form.errors.clear()
        form.add_error(
            "file",
            _("The file is too large. The limit is %(limit)s MB: split it into smaller files.")
            % {"limit": imports.MAX_UPLOAD_BYTES // 1024 // 1024},
        )
        return _render_upload(request, form, status=400)
    if not form.is_valid():
        return _render_upload(request, form, status=400)
    _discard_session_upload(request)
    token, _path = imports.store_upload(form.cleaned_data["file"])
    request.session[SESSION_KEY] = {
        "token": token,
        "name": form.cleaned_data["file"].name[:200],
        "encoding": form.cleaned_data["encoding"],
        "publish": form.cleaned_data["publish"],
    }
    return redirect("participation_data:import_preview")


def _render_upload(request, form, status=200):
    context = {
        "form": form,
        "columns": imports.COLUMNS,
        "required_columns": imports.REQUIRED_COLUMNS,
        "column_labels": imports.COLUMN_LABELS,
        "max_rows": intcomma(imports.MAX_ROWS),
    }
    return render(request, "participation/data/import_upload.html", context, status=status)


def _session_upload(request):
    state = request.session.get(SESSION_KEY)
    if not state:
        return None, None
    path = imports.upload_path(state.get("token", ""))
    if path is None:
        request.session.pop(SESSION_KEY, None)
        return None, None
    return state, path


def _discard_session_upload(request):
    state = request.session.pop(SESSION_KEY, None)
    if state:
        imports.discard_upload(state.get("token", ""))


@permission_required(IMPORT_PERMISSION)
@require_GET
def import_preview(request):
    state, path = _session_upload(request)
    if state is None:
        messages.warning(request, _("There is no file waiting for import. Upload one."))
        return redirect("participation_data:import")
    preview = imports.preview_file(path, name=state["name"], encoding=state["encoding"])
    context = {
        "preview": preview,
        "file_name": state["name"],
        "publish": state["publish"],
        "confirm_form": ImportConfirmForm(initial={"token": state["token"]}),
    }
    return render(request, "participation/data/import_preview.html", context, status=200 if preview.ok else 422)


@permission_required(IMPORT_PERMISSION)
@require_POST
def import_confirm(request):
    form = ImportConfirmForm(request.POST)
    state, path = _session_upload(request)
    if state is None or not form.is_valid() or form.cleaned_data["token"] != state["token"]:
        messages.error(request, _("This import is no longer waiting: upload the file again."))
        return redirect("participation_data:import")
    # The first confirmation consumes the upload: a double click cannot import twice.
    request.session.pop(SESSION_KEY, None)
    job = imports.import_job_create(
        actor=request.user,
        upload_token=state["token"],
        file_name=state["name"],
        encoding=state["encoding"],
        publish=state["publish"],
    )
    return redirect("participation_data:import_job", job_id=job.public_id)


@permission_required(IMPORT_PERMISSION)
@require_GET
def import_job(request, job_id):
    """The state of a confirmed import running in the background; htmx polls the status part."""
    job = ImportJob.objects.filter(public_id=job_id, actor=request.user).first()
    if job is None:
        raise Http404
    context = {"job": imports.with_live_progress(job)}
    if request.headers.get("HX-Request"):
        return render(request, "participation/data/_import_job_status.html", context)
    return render(request, "participation/data/import_job.html", context)


@permission_required(IMPORT_PERMISSION)
@require_POST
def import_cancel(request):
    _discard_session_upload(request)
    messages.info(request, _("The file was discarded; nothing was imported."))
    return redirect("participation_data:import")


@permission_required(IMPORT_PERMISSION)
@require_GET
def import_template(request):
    """A sample CSV with the Polish headers, to fill in."""
    body = (
        "\ufefftreść;obszar;dzielnica;kanał;miejsce;data;wiek;wydarzenie;external_id\r\n"
        "Więcej zieleni i ławek przy Zalewie Zemborzyckim;Dobre sąsiedztwo;Zemborzyce;Punkt mobilny;"
        "Plaża nad Zalewem;15.06.2020;25-34;;PM-2020-0001\r\n"
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wzor-importu-opinii.csv"'
    return response


@permission_required(EXPORT_PERMISSION)
@require_GET
def export_page(request):
    form = ExportForm(request.GET)
    count = None
    if form.is_valid():
        count = exports.export_queryset(**form.filters()).count()
    query = request.GET.urlencode()
    context = {
        "form": form,
        "count": count,
        "csv_url": f"{reverse('participation_data:export_download')}?{query}&format=csv".replace("?&", "?"),
        "xlsx_url": f"{reverse('participation_data:export_download')}?{query}&format=xlsx".replace("?&", "?"),
        "columns": exports.HEADER,
    }
    return render(request, "participation/data/export.html", context, status=400 if form.errors else 200)


@permission_required(EXPORT_PERMISSION)
@require_GET
def export_download(request):
    form = ExportForm(request.GET)
    if not form.is_valid():
        return render(request, "participation/data/export.html", {"form": form, "columns": exports.HEADER}, status=400)
    queryset = exports.export_queryset(**form.filters())
    if request.GET.get("format") == "xlsx":
        response = StreamingHttpResponse(
            exports.export_xlsx_chunks(queryset),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        filename = exports.export_filename("xlsx")
    else:
        delimiter = form.cleaned_data.get("delimiter") or ","
        response = StreamingHttpResponse(
            exports.csv_chunks(queryset, delimiter=delimiter), content_type="text/csv; charset=utf-8"
        )
        filename = exports.export_filename("csv")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
