"""Staff bring offline comments in: one by one from a form, or a CSV/XLSX file (upload → preview → confirm).

The upload is kept as the opinion import keeps it (participation.imports.uploads, under PRIVATE_STORAGE_ROOT,
its token in the uploader's session) and read with the same guards; a consultation's file is small (at most
5,000 rows), so the confirmed import runs in the request, in one transaction.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from lublin2030.permissions import permission_required
from participation.data_views import LimitedUploadHandler
from participation.imports import (
    MAX_UPLOAD_BYTES,
    ImportFileError,
    ImportRejected,
    discard_upload,
    store_upload,
    upload_path,
)

from . import services
from .forms import ImportForm, OfflineCommentForm
from .services import imports as comment_imports
from .views import readable

PERMISSION = "consultation.enter_comments"


def _session_key(pk: int) -> str:
    return f"consultation_import_{pk}"


@permission_required(PERMISSION)
@require_http_methods(["GET", "HEAD", "POST"])
def enter(request, pk: int):
    consultation = readable(request, pk)
    form = OfflineCommentForm(request.POST or None, consultation=consultation)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            comment = services.comment_enter(
                actor=request.user,
                consultation=consultation,
                data=services.CommentData(
                    target="",
                    text=data["text"],
                    proposed_wording=data["proposed_wording"],
                    justification=data["justification"],
                    speaks_as=data["speaks_as"],
                    commenter_name=data["commenter_name"],
                ),
                offline=services.OfflineData(
                    channel=data["channel"],
                    received_on=data["received_on"],
                    meeting=data["meeting"],
                    external_id=data["external_id"],
                    fragment=data["fragment"],
                ),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Comment no. %(number)d is entered.") % {"number": comment.number})
            return redirect("consultation:enter", pk=pk)
    context = {"consultation": consultation, "form": form}
    return render(request, "consultation/staff/enter.html", context, status=400 if form.errors else 200)


@csrf_exempt
@permission_required(PERMISSION)
def import_upload(request, pk: int):
    """GET: the upload form. POST: keep the file privately, then show what importing it would do."""
    if request.method == "POST":
        request.upload_handlers.insert(0, LimitedUploadHandler(request))
    return _import_upload(request, pk)


@csrf_protect
@require_http_methods(["GET", "HEAD", "POST"])
def _import_upload(request, pk: int):
    consultation = readable(request, pk)
    if request.method != "POST":
        return _render_upload(request, consultation, ImportForm())
    form = ImportForm(request.POST, request.FILES)
    if getattr(request, "import_upload_too_large", False):
        form.is_valid()
        form.add_error(
            "file",
            _("The file is too large. The limit is %(limit)s MB: split it into smaller files.")
            % {"limit": MAX_UPLOAD_BYTES // 1024 // 1024},
        )
        return _render_upload(request, consultation, form, status=400)
    if not form.is_valid():
        return _render_upload(request, consultation, form, status=400)
    _discard(request, pk)
    token, _path = store_upload(form.cleaned_data["file"])
    request.session[_session_key(pk)] = {
        "token": token,
        "name": form.cleaned_data["file"].name[:200],
        "encoding": form.cleaned_data["encoding"],
    }
    return redirect("consultation:import_preview", pk=pk)


def _render_upload(request, consultation, form, status=200):
    context = {
        "consultation": consultation,
        "form": form,
        "columns": comment_imports.COLUMNS,
        "required": comment_imports.REQUIRED_COLUMNS,
        "labels": comment_imports.COLUMN_LABELS,
        "max_rows": comment_imports.MAX_ROWS,
    }
    return render(request, "consultation/staff/import_upload.html", context, status=status)


def _session(request, pk: int):
    state = request.session.get(_session_key(pk))
    if not state:
        return None, None
    path = upload_path(state.get("token", ""))
    if path is None:
        request.session.pop(_session_key(pk), None)
        return None, None
    return state, path


def _discard(request, pk: int) -> None:
    state = request.session.pop(_session_key(pk), None)
    if state:
        discard_upload(state.get("token", ""))


@permission_required(PERMISSION)
@require_GET
def import_preview(request, pk: int):
    consultation = readable(request, pk)
    state, path = _session(request, pk)
    if state is None:
        messages.warning(request, _("There is no file waiting for import. Upload one."))
        return redirect("consultation:import", pk=pk)
    preview = services.preview_file(consultation, path, name=state["name"], encoding=state["encoding"])
    context = {"consultation": consultation, "preview": preview, "file_name": state["name"], "token": state["token"]}
    return render(request, "consultation/staff/import_preview.html", context, status=200 if preview.ok else 422)


@permission_required(PERMISSION)
@require_POST
def import_confirm(request, pk: int):
    consultation = readable(request, pk)
    state, path = _session(request, pk)
    if state is None or request.POST.get("token") != state["token"]:
        messages.error(request, _("This import is no longer waiting: upload the file again."))
        return redirect("consultation:import", pk=pk)
    # The first confirmation consumes the upload: a double click cannot import twice.
    request.session.pop(_session_key(pk), None)
    try:
        result = services.comments_import(
            actor=request.user, consultation=consultation, path=path, name=state["name"], encoding=state["encoding"]
        )
    except ImportRejected:
        messages.error(request, _("The file has errors; nothing was imported. Upload it again to see them."))
        return redirect("consultation:import", pk=pk)
    except ImportFileError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("consultation:import", pk=pk)
    finally:
        discard_upload(state["token"])
    messages.success(
        request,
        _("%(created)d comments imported; %(skipped)d rows had been imported before and were skipped.")
        % {"created": result.created, "skipped": result.skipped},
    )
    return redirect("consultation:triage", pk=pk)


@permission_required(PERMISSION)
@require_POST
def import_cancel(request, pk: int):
    _discard(request, pk)
    messages.info(request, _("The file was discarded; nothing was imported."))
    return redirect("consultation:import", pk=pk)


@permission_required(PERMISSION)
@require_GET
def import_template(request, pk: int):
    """A sample CSV with the Polish headers, to fill in."""
    body = (
        "\ufeffuwaga;proponowane brzmienie;uzasadnienie;fragment;kanał;data wpływu;zgłaszający;organizacja;"
        "spotkanie;identyfikator\r\n"
        "Brakuje w tym akapicie mowy o komunikacji nocnej.;Dodać zdanie o liniach nocnych.;"
        "Studenci wracają późno.;1.1–2;formularz papierowy;15.10.2021;Jan Nowak;;;P-001\r\n"
    )
    response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="wzor-importu-uwag.csv"'
    return response
