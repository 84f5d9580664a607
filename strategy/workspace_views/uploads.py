"""The attachments page of a version: list, upload, remove."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from lublin2030.permissions import permission_required

from .. import selectors, services
from ..forms import AttachmentForm
from ..models import Attachment
from .common import WORKSPACE, _context, _flash, _form_errors, _version, _version_url


@permission_required(WORKSPACE)
def attachments(request, number):
    version = _version(request, number)
    form = AttachmentForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("remove"):
            attachment = get_object_or_404(Attachment, pk=request.POST["remove"], version=version)
            try:
                services.attachment_remove(actor=request.user, attachment=attachment)
            except ValidationError as error:
                _flash(request, error)
            else:
                messages.success(request, _("The attachment has been removed."))
            return redirect(_version_url(version, "strategy:ws_attachments"))
        if form.is_valid():
            try:
                services.attachment_add(
                    actor=request.user,
                    version=version,
                    upload=form.cleaned_data["file"],
                    title=form.cleaned_data["title"],
                    kind=form.cleaned_data["kind"],
                    listed_publicly=form.cleaned_data["listed_publicly"],
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The attachment has been added."))
                return redirect(_version_url(version, "strategy:ws_attachments"))
        status = 400
    context = _context(request, version, attachments=list(selectors.staff_attachments(version)), form=form)
    return render(request, "strategy/ws/attachments.html", context, status=status)
