"""Public pages of the strategy: the latest public version, any public version, the differences
between two, a permalink to a paragraph, attachments and the PDF.

A public version never changes, so its document (table of contents, chapters, goals and indicator
tables, attachments) is rendered once per version and language and kept in the cache: the page then
costs the same few queries however long the strategy is.
"""

from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from lublin2030 import versions
from lublin2030.page_cache import cache_page

from . import diff, selectors
from .adoption import selectors as adoption_selectors
from .forms import CompareForm, SearchForm
from .models import Attachment

CACHE_SECONDS = 24 * 3600
# Bump when the templates of the cached fragments change, so a deployment does not serve old HTML.
FRAGMENT_VERSION = 2
# The reading pages, shared by every visitor (lublin2030.page_cache): the strategy's version changes
# with every write to its versions, their adoption and their PDFs.
reading_page = cache_page(
    f"strategy:{FRAGMENT_VERSION}", depends_on=[versions.STRATEGY, versions.CALENDAR], seconds=CACHE_SECONDS
)


def _strategy():
    strategy = selectors.current_strategy()
    if strategy is None:
        raise Http404
    return strategy


def document_html(version) -> str:
    """The rendered document of a public version, from the cache when it is there."""
    key = f"strategy:doc:{FRAGMENT_VERSION}:{version.pk}:{version.state}:{get_language()}"
    html = cache.get(key)
    if html is None:
        document = selectors.document(version)
        html = render_to_string("strategy/_document.html", {"doc": document, "version": version})
        cache.set(key, html, CACHE_SECONDS)
    return html


@require_GET
@reading_page
def document_latest(request):
    strategy = selectors.current_strategy()
    version = adoption_selectors.reading_version(strategy)  # the strategy in force, once adopted
    if version is None:
        in_progress = selectors.version_in_progress(strategy)
        context = {
            "strategy": strategy,
            "progress": selectors.progress(in_progress) if in_progress else None,
        }
        return render(request, "strategy/not_public.html", context)
    return _render_version(request, version)


@require_GET
@reading_page
def version_detail(request, number):
    version = selectors.version_by_number(_strategy(), number, public_only=True)
    if version is None:
        raise Http404
    return _render_version(request, version)


def _render_version(request, version):
    form = SearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    versions = list(selectors.public_versions(version.strategy))
    older = [other for other in versions if other.number < version.number]
    context = {
        "version": version,
        "strategy": version.strategy,
        "latest": bool(versions) and versions[0].pk == version.pk,
        "document_html": document_html(version),
        "search_form": form,
        "query": query,
        "results": selectors.search(version, query) if query else None,
        "versions": versions,
        "previous": older[0] if older else None,
        "pdf": _pdf_report(version),
        "adoption": adoption_selectors.public_adoption(version),
    }
    return render(request, "strategy/document.html", context)


def _pdf_report(version) -> dict | None:
    """The finished PDF of this version, if the worker has made one (reports app; one query)."""
    report = selectors.version_pdf(version)
    if report is None:
        return None
    return {
        "url": reverse("strategy:pdf", kwargs={"number": version.number}),
        "pages": report.page_count,
        "size": report.file_size,
    }


@require_GET
def version_pdf(request, number):
    """The PDF of a public version, made by the reports pipeline."""
    version = selectors.version_by_number(_strategy(), number, public_only=True)
    report = selectors.version_pdf(version) if version else None
    if report is None:
        raise Http404
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    path = report.path.resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    name = f"strategia-lublin-wersja-{version.number}.pdf"
    response = FileResponse(path.open("rb"), as_attachment=True, filename=name, content_type="application/pdf")
    response["Cache-Control"] = "public, max-age=3600"
    return response


@require_GET
@reading_page
def version_list(request):
    strategy = _strategy()
    versions = list(selectors.public_versions(strategy))
    return render(
        request,
        "strategy/versions.html",
        {"strategy": strategy, "versions": versions, "compare_form": CompareForm(versions=versions)},
    )


@require_GET
@reading_page
def compare(request):
    strategy = _strategy()
    versions = list(selectors.public_versions(strategy))
    form = CompareForm(request.GET or None, versions=versions)
    context = {"strategy": strategy, "versions": versions, "compare_form": form, "comparison_html": None}
    if form.is_bound and form.is_valid():
        numbers = sorted({form.cleaned_data["od"], form.cleaned_data["do"]})
        by_number = {version.number: version for version in versions}
        if len(numbers) == 2:
            old, new = by_number[numbers[0]], by_number[numbers[1]]
            context.update(old=old, new=new, comparison_html=comparison_html(old, new, public=True))
        else:
            context["same"] = True
    return render(
        request, "strategy/compare.html", context, status=400 if form.is_bound and not form.is_valid() else 200
    )


def comparison_html(old, new, *, public: bool) -> str:
    """The differences of two versions; between public versions it is computed once and cached."""
    cacheable = old.is_public and new.is_public
    key = f"strategy:diff:{FRAGMENT_VERSION}:{old.pk}:{new.pk}:{get_language()}:{int(public)}"
    html = cache.get(key) if cacheable else None
    if html is None:
        comparison = diff.compare(old, new)
        html = render_to_string("strategy/_comparison.html", {"comparison": comparison, "public": public})
        if cacheable:
            cache.set(key, html, CACHE_SECONDS)
    return html


@require_GET
def permalink(request, key):
    """/strategia/akapit/<key>/: the paragraph in the newest public version that has it."""
    strategy = _strategy()
    block = selectors.latest_public_block(strategy, key)
    if block is None:
        raise Http404
    latest = adoption_selectors.reading_version(strategy)
    if latest is not None and latest.pk == block.version_id:
        return redirect(reverse("strategy:document") + f"#{block.anchor}")
    return redirect(reverse("strategy:version", kwargs={"number": block.version.number}) + f"#{block.anchor}")


@require_GET
def attachment_download(request, pk, name):
    """Private until the version is public (and listed), then anyone's; always a download, never inline."""
    attachment = Attachment.objects.select_related("version").filter(pk=pk).first()
    if attachment is None or not request.user.has_perm("strategy.download_attachment", attachment):
        raise Http404
    root = Path(settings.PRIVATE_STORAGE_ROOT).resolve()
    path = attachment.path.resolve()
    if root not in path.parents or not path.is_file():
        raise Http404
    response = FileResponse(
        path.open("rb"), as_attachment=True, filename=attachment.download_name, content_type=attachment.content_type
    )
    public = attachment.listed_publicly and attachment.version.is_public
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response
