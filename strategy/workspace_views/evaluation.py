"""The formal evaluation (stage VI): the checklist (one page, four actions) and the internal
consultation (comments on blocks, answers)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lublin2030.permissions import permission_required

from .. import selectors, services
from ..forms import (
    AnswerForm,
    AttachmentForm,
    ChecklistAddForm,
    ChecklistItemForm,
    InternalCommentForm,
    people_for_checklist,
)
from ..models import ChecklistItem, CommentStatus, InternalComment
from .common import WORKSPACE, _context, _flash, _form_errors, _version, _version_url


@permission_required(WORKSPACE)
def checklist(request, number):
    version = _version(request, number)
    invalid: dict = {}
    status = 200
    if request.method == "POST":
        handler = CHECKLIST_ACTIONS.get(request.POST.get("action", ""))
        if handler is None:
            raise Http404
        result = handler(request, version)
        if not isinstance(result, dict):
            return result
        invalid, status = result, 400
    items = selectors.checklist(version)
    people = people_for_checklist()
    for item in items:
        item.form = invalid.get(("item", item.pk)) or ChecklistItemForm(
            prefix=f"i{item.pk}",
            people=people,
            initial={
                "status": item.status,
                "responsible": item.responsible_id,
                "due_on": item.due_on,
                "notes": item.notes,
                "revision": item.revision,
            },
        )
        item.upload_form = invalid.get(("upload", item.pk)) or AttachmentForm(
            prefix=f"u{item.pk}", initial={"kind": "opinion", "listed_publicly": False}
        )
    context = _context(request, version, items=items, add_form=invalid.get("add") or ChecklistAddForm())
    return render(request, "strategy/ws/checklist.html", context, status=status)


def _checklist_url(version, item=None) -> str:
    return _version_url(version, "strategy:ws_checklist") + (f"#item-{item.pk}" if item else "")


def _checklist_update(request, version):
    item = get_object_or_404(ChecklistItem, pk=_int(request.POST.get("item")), version=version)
    form = ChecklistItemForm(request.POST, prefix=f"i{item.pk}", people=people_for_checklist())
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.checklist_item_update(
                actor=request.user,
                item=item,
                expected_revision=data["revision"],
                data=services.ChecklistData(
                    status=data["status"], responsible=data["responsible"], due_on=data["due_on"], notes=data["notes"]
                ),
            )
        except ValidationError as error:
            _form_errors(request, form, error)
        else:
            messages.success(request, _("“%(title)s” has been saved.") % {"title": item.display_title})
            return redirect(_checklist_url(version, item))
    return {("item", item.pk): form}


def _checklist_add(request, version):
    form = ChecklistAddForm(request.POST)
    if form.is_valid():
        try:
            services.checklist_item_add(actor=request.user, version=version, **form.cleaned_data)
        except ValidationError as error:
            _form_errors(request, form, error)
        else:
            messages.success(request, _("The item has been added."))
            return redirect(_checklist_url(version))
    return {"add": form}


def _checklist_remove(request, version):
    item = get_object_or_404(ChecklistItem, pk=_int(request.POST.get("item")), version=version)
    try:
        services.checklist_item_remove(actor=request.user, item=item)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("The item has been removed."))
    return redirect(_checklist_url(version))


def _checklist_upload(request, version):
    item = get_object_or_404(ChecklistItem, pk=_int(request.POST.get("item")), version=version)
    form = AttachmentForm(request.POST, request.FILES, prefix=f"u{item.pk}")
    if form.is_valid():
        try:
            services.attachment_add(
                actor=request.user,
                version=version,
                checklist_item=item,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                kind=form.cleaned_data["kind"],
                listed_publicly=form.cleaned_data["listed_publicly"],
            )
        except ValidationError as error:
            _form_errors(request, form, error)
        else:
            messages.success(request, _("The document has been attached."))
            return redirect(_checklist_url(version, item))
    return {("upload", item.pk): form}


CHECKLIST_ACTIONS = {
    "update": _checklist_update,
    "add": _checklist_add,
    "remove": _checklist_remove,
    "upload": _checklist_upload,
}


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


# Internal consultation ----------------------------------------------------------------------------


@require_POST
@permission_required(WORKSPACE)
def comment_add(request, number, key):
    version = _version(request, number)
    block = selectors.block_by_key(version, key)
    if block is None:
        raise Http404
    form = InternalCommentForm(request.POST)
    if form.is_valid():
        try:
            services.internal_comment_add(actor=request.user, block=block, text=form.cleaned_data["text"])
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("Your comment has been added to the internal thread."))
    else:
        messages.error(request, _("Write the comment (at most 5,000 characters)."))
    return redirect(_version_url(version, "strategy:ws_block", key=block.key) + "#internal-thread")


@require_POST
@permission_required(WORKSPACE)
def comment_answer(request, number, pk):
    version = _version(request, number)
    comment = get_object_or_404(InternalComment, pk=pk, version=version)
    form = AnswerForm(request.POST, prefix=f"c{comment.pk}")
    if form.is_valid():
        try:
            services.internal_comment_answer(
                actor=request.user,
                comment=comment,
                status=form.cleaned_data["status"],
                resolution=form.cleaned_data["resolution"],
            )
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("The answer has been saved."))
    else:
        messages.error(request, _("Choose: resolved or rejected."))
    return redirect(request.POST.get("next") or _version_url(version, "strategy:ws_comments"))


@permission_required(WORKSPACE)
def comments(request, number):
    version = _version(request, number)
    status = request.GET.get("status") if request.GET.get("status") in CommentStatus.values else ""
    rows = list(selectors.internal_comments(version, status=status or None))
    context = _context(request, version, comments=rows, status=status, statuses=CommentStatus.choices)
    for comment in rows:
        comment.answer_form = AnswerForm(prefix=f"c{comment.pk}") if comment.status == CommentStatus.OPEN else None
    return render(request, "strategy/ws/comments.html", context)
