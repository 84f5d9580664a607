"""The text: chapters, sections and blocks (editing with conflicts shown, history), moving and
deleting any element."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lublin2030.permissions import permission_required
from recommendations.diff import word_diff

from .. import selectors, services
from ..forms import AnswerForm, BlockForm, ChapterForm, CitationForm, InternalCommentForm, SectionForm
from ..models import CommentStatus
from .common import WORKSPACE, _context, _element, _flash, _form_errors, _version, _version_url


@require_POST
@permission_required(WORKSPACE)
def chapter_create(request, number):
    version = _version(request, number)
    form = ChapterForm(request.POST)
    if form.is_valid():
        try:
            chapter = services.chapter_create(
                actor=request.user,
                version=version,
                title=form.cleaned_data["title"],
                element=form.cleaned_data["element"],
            )
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("Chapter %(number)d added.") % {"number": chapter.position})
            return redirect(_version_url(version) + f"#c-{chapter.key}")
    else:
        messages.error(request, _("Give the chapter a title."))
    return redirect(_version_url(version))


@permission_required(WORKSPACE)
def chapter_edit(request, number, key):
    version = _version(request, number)
    chapter = _element(version, "chapter", key)
    form = ChapterForm(
        request.POST or None, initial={"title": chapter.title, "element": chapter.element, "revision": chapter.revision}
    )
    section_form = SectionForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.chapter_update(
                    actor=request.user,
                    chapter=chapter,
                    expected_revision=form.cleaned_data["revision"],
                    title=form.cleaned_data["title"],
                    element=form.cleaned_data["element"],
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The chapter has been saved."))
                return redirect(_version_url(version) + f"#c-{chapter.key}")
        status = 400
    context = _context(request, version, chapter=chapter, form=form, section_form=section_form)
    return render(request, "strategy/ws/chapter.html", context, status=status)


@require_POST
@permission_required(WORKSPACE)
def section_create(request, number, key):
    version = _version(request, number)
    chapter = _element(version, "chapter", key)
    form = SectionForm(request.POST)
    if form.is_valid():
        try:
            section = services.section_create(actor=request.user, chapter=chapter, title=form.cleaned_data["title"])
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("Section added."))
            return redirect(_version_url(version) + f"#s-{section.key}")
    else:
        messages.error(request, _("Give the section a title."))
    return redirect(_version_url(version, "strategy:ws_chapter", key=chapter.key))


@permission_required(WORKSPACE)
def section_edit(request, number, key):
    version = _version(request, number)
    section = _element(version, "section", key)
    form = SectionForm(request.POST or None, initial={"title": section.title, "revision": section.revision})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.section_update(
                    actor=request.user,
                    section=section,
                    expected_revision=form.cleaned_data["revision"],
                    title=form.cleaned_data["title"],
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The section has been saved."))
                return redirect(_version_url(version) + f"#s-{section.key}")
        status = 400
    return render(
        request, "strategy/ws/section.html", _context(request, version, section=section, form=form), status=status
    )


# Blocks -----------------------------------------------------------------------------------------


@permission_required(WORKSPACE)
def block_new(request, number):
    version = _version(request, number)
    source = request.POST if request.method == "POST" else request.GET
    chapter = _element(version, "chapter", source.get("rozdzial", ""))
    section = _element(version, "section", source["sekcja"]) if source.get("sekcja") else None
    after = _element(version, "block", source["po"]) if source.get("po") else None
    form = BlockForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                block = services.block_create(
                    actor=request.user,
                    version=version,
                    chapter=chapter,
                    section=section,
                    text=form.cleaned_data["text"],
                    after=after,
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The block has been added."))
                return redirect(_version_url(version) + f"#b-{block.key}")
        status = 400
    context = _context(request, version, chapter=chapter, section=section, after=after, form=form)
    return render(request, "strategy/ws/block_new.html", context, status=status)


@permission_required(WORKSPACE)
def block_page(request, number, key):
    """One block: its text (editable in the working draft), citations, the internal thread, and saving."""
    version = _version(request, number)
    block = selectors.block_by_key(version, key)
    if block is None:
        raise Http404
    form = BlockForm(request.POST or None, initial={"text": block.text, "revision": block.revision})
    status, conflict = 200, None
    if request.method == "POST":
        if form.is_valid():
            old_revision = block.revision
            try:
                saved = services.block_update(
                    actor=request.user,
                    block=block,
                    expected_revision=form.cleaned_data["revision"],
                    text=form.cleaned_data["text"],
                )
            except services.EditConflict as error:
                conflict, status = _conflict(request, error, form), 409
                form = conflict["form"]
            except ValidationError as error:
                _form_errors(request, form, error)
                status = 400
            else:
                if saved.revision == old_revision:
                    messages.info(request, _("Nothing has changed, so nothing was saved."))
                else:
                    messages.success(request, _("Saved (revision %(number)d).") % {"number": saved.revision})
                return redirect(_version_url(version, "strategy:ws_block", key=block.key))
        else:
            status = 400
    return render(
        request, "strategy/ws/block.html", _block_context(request, version, block, form, conflict), status=status
    )


def _conflict(request, error: services.EditConflict, form) -> dict:
    """Keep what the editor typed, show what the other person saved, and let them save over it knowingly."""
    current = error.current
    data = request.POST.copy()
    data["revision"] = str(current.revision)
    fresh = BlockForm(data)
    fresh.is_valid()
    typed = form.cleaned_data["text"]
    return {"form": fresh, "message": error.messages[0], "current": current, "diff": word_diff(current.text, typed)}


def _block_context(request, version, block, form, conflict=None) -> dict:
    comments = list(selectors.internal_comments(version, block_key=block.key))
    context = _context(
        request,
        version,
        paragraph=block,
        form=form,
        conflict=conflict,
        comments=comments,
        comment_form=InternalCommentForm(),
        citations=selectors.citations_of(block),
    )
    context["citation_form"] = (
        CitationForm(recommendations=selectors.citable_recommendations()) if context["can_edit"] else None
    )
    for comment in comments:
        comment.answer_form = AnswerForm(prefix=f"c{comment.pk}") if comment.status == CommentStatus.OPEN else None
    return context


@permission_required(WORKSPACE)
def block_history(request, number, key):
    version = _version(request, number)
    block = selectors.block_by_key(version, key)
    if block is None:
        raise Http404
    revisions = selectors.block_history(block)
    rows = []
    for index, revision in enumerate(revisions):
        older = revisions[index + 1] if index + 1 < len(revisions) else None
        rows.append({"revision": revision, "diff": word_diff(older.text if older else "", revision.text)})
    return render(request, "strategy/ws/block_history.html", _context(request, version, paragraph=block, rows=rows))


# Moving and deleting ----------------------------------------------------------------------------


@require_POST
@permission_required(WORKSPACE)
def element_move(request, number):
    version = _version(request, number)
    kind, key = request.POST.get("kind", ""), request.POST.get("key", "")
    element = _element(version, kind, key)
    offset = -1 if request.POST.get("offset") == "up" else 1
    try:
        if kind == "chapter":
            services.chapter_move(actor=request.user, chapter=element, offset=offset)
        elif kind == "section":
            services.section_move(actor=request.user, section=element, offset=offset)
        elif kind == "block":
            services.block_move(actor=request.user, block=element, offset=offset)
        else:
            services.element_move(actor=request.user, element=element, offset=offset)
    except ValidationError as error:
        _flash(request, error)
    return redirect(request.POST.get("next") or _version_url(version))


@permission_required(WORKSPACE)
def element_delete(request, number, kind, key):
    """A confirmation page, then the delete: nothing disappears by one click."""
    version = _version(request, number)
    element = _element(version, kind, key)
    back = (
        _version_url(version, "strategy:ws_goals")
        if kind in ("goal", "direction", "indicator")
        else _version_url(version)
    )
    if request.method == "POST":
        try:
            if kind == "chapter":
                services.chapter_delete(actor=request.user, chapter=element)
            elif kind == "section":
                services.section_delete(actor=request.user, section=element)
            elif kind == "block":
                services.block_delete(actor=request.user, block=element)
            else:
                services.element_delete(actor=request.user, element=element)
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("Deleted."))
        return redirect(back)
    if not request.user.has_perm("strategy.edit_version", version):
        raise PermissionDenied
    return render(request, "strategy/ws/delete.html", _context(request, version, element=element, kind=kind, back=back))
