"""From comments to changes: the editorial team sees what changed in a later version since the consulted one
and, block by block, cites the comments that caused each change."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from lublin2030.permissions import permission_required
from recommendations.diff import word_diff
from strategy import diff as strategy_diff
from strategy.models import Block, StrategyVersion

from . import selectors, services
from .forms import CiteForm
from .models import ChangeCitation, Comment, Target
from .views import readable


def later_versions(consultation):
    return StrategyVersion.objects.filter(
        strategy_id=consultation.version.strategy_id, number__gt=consultation.version.number
    ).order_by("-number")


def _version(consultation, number: int) -> StrategyVersion:
    version = later_versions(consultation).filter(number=number).first()
    if version is None:
        raise Http404
    return version


@permission_required("consultation.read_triage")
@require_safe
def changes(request, pk: int):
    consultation = readable(request, pk)
    versions = list(later_versions(consultation))
    number = request.GET.get("wersja", "")
    version = next((v for v in versions if str(v.number) == number), versions[0] if versions else None)
    rows = []
    if version is not None:
        comparison = strategy_diff.compare(consultation.version, version)
        cited: dict[str, int] = {}
        for key in ChangeCitation.objects.filter(version=version).values_list("block_key", flat=True):
            cited[key] = cited.get(key, 0) + 1
        for change in comparison.changes:
            if change.anchor.startswith("b-"):
                key = change.anchor[2:]
                rows.append({"change": change, "key": key, "cited": cited.get(key, 0)})
    context = {"consultation": consultation, "versions": versions, "version": version, "rows": rows}
    return render(request, "consultation/staff/changes.html", context)


@permission_required("consultation.read_triage")
@require_http_methods(["GET", "HEAD", "POST"])
def change_block(request, pk: int, number: int, key: str):
    consultation = readable(request, pk)
    version = _version(consultation, number)
    texts = dict(
        Block.objects.filter(version_id__in=(consultation.version_id, version.pk), key=key).values_list(
            "version_id", "text"
        )
    )
    if not texts:
        raise Http404
    form = CiteForm(request.POST or None)
    if request.method == "POST":
        if "remove" in request.POST:
            citation = ChangeCitation.objects.filter(pk=request.POST["remove"], version=version, block_key=key).first()
            if citation is None:
                raise Http404
            try:
                services.change_uncite(actor=request.user, citation=citation)
            except ValidationError as error:
                for message in error.messages:
                    messages.error(request, message)
            return redirect("consultation:change_block", pk=pk, number=number, key=key)
        if form.is_valid():
            numbers = form.cleaned_data["comments"]
            ids = dict(
                Comment.objects.filter(consultation=consultation, number__in=numbers).values_list("number", "pk")
            )
            missing = sorted(set(numbers) - set(ids))
            if missing:
                form.add_error(
                    "comments",
                    _("This consultation has no comments numbered %(numbers)s.")
                    % {"numbers": ", ".join(map(str, missing))},
                )
            else:
                try:
                    created = services.change_cite(
                        actor=request.user, version=version, block_key=key, comment_ids=ids.values()
                    )
                except ValidationError as error:
                    form.add_error(None, error)
                else:
                    messages.success(
                        request,
                        ngettext("%(count)d comment cited.", "%(count)d comments cited.", len(created))
                        % {"count": len(created)},
                    )
                    return redirect("consultation:change_block", pk=pk, number=number, key=key)
    on_block = list(
        Comment.objects.in_report()
        .filter(consultation=consultation, target=Target.BLOCK, block_key=key)
        .select_related("chapter", "section", "block")
        .order_by("number")
    )
    selectors.annotate(on_block)
    citations = selectors.citations_for_block(version, key)
    selectors.annotate([citation.comment for citation in citations])
    context = {
        "consultation": consultation,
        "version": version,
        "key": key,
        "diff": word_diff(texts.get(consultation.version_id, ""), texts.get(version.pk, "")),
        "removed": version.pk not in texts,
        "on_block": on_block,
        "citations": citations,
        "form": form,
        "editable": version.is_editable and request.user.has_perm("consultation.cite_comment", version),
    }
    return render(request, "consultation/staff/change_block.html", context, status=400 if form.errors else 200)
