"""The editorial workspace (/panel/strategia/): versions, the text block by block, goals and indicators,
coverage of recommendations, the checklist, internal comments, attachments, the team.

Views parse the input, call one service and redirect (or render the form again with the service's
message). Every page needs `strategy.read_workspace`; each action checks its own permission in the
service, and a version not readable by the person does not exist for them (404).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lublin2030.permissions import permission_required, require_permission
from recommendations.diff import word_diff
from recommendations.models import Recommendation

from . import selectors, services
from .forms import (
    AnswerForm,
    AttachmentForm,
    BlockForm,
    ChapterForm,
    ChecklistAddForm,
    ChecklistItemForm,
    CitationForm,
    CompareForm,
    DirectionForm,
    ExplanationForm,
    GoalForm,
    IndicatorForm,
    InternalCommentForm,
    ReasonForm,
    SectionForm,
    TeamGrantForm,
    VersionCreateForm,
    people_for_checklist,
)
from .models import (
    Attachment,
    Block,
    Chapter,
    ChecklistItem,
    Citation,
    CommentStatus,
    Direction,
    Indicator,
    InternalComment,
    RecommendationExplanation,
    Section,
    StrategicGoal,
    TeamMembership,
    VersionState,
)
from .views import comparison_html

WORKSPACE = "strategy.read_workspace"
ELEMENTS = {
    "chapter": Chapter,
    "section": Section,
    "block": Block,
    "goal": StrategicGoal,
    "direction": Direction,
    "indicator": Indicator,
}


# Helpers ----------------------------------------------------------------------------------------


def _strategy():
    strategy = selectors.current_strategy()
    if strategy is None:
        raise Http404
    return strategy


def _version(request, number):
    version = selectors.version_by_number(_strategy(), number)
    if version is None or not request.user.has_perm("strategy.read_version", version):
        raise Http404
    return version


def _element(version, kind: str, key: str):
    model = ELEMENTS.get(kind)
    if model is None:
        raise Http404
    element = model.objects.filter(version=version, key=key).select_related("updated_by").first()
    if element is None:
        raise Http404
    return element


def _form_errors(request, form, error: ValidationError) -> None:
    """The service's message on the form: on its field when the form has one, above the form otherwise.

    A frozen version shows no form at all, so its message goes to the page's messages.
    """
    if isinstance(error, services.FrozenVersion):
        _flash(request, error)
        return
    if hasattr(error, "error_dict"):
        for name, errors in error.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def _flash(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _version_url(version, name="strategy:ws_version", **kwargs):
    return reverse(name, kwargs={"number": version.number, **kwargs})


def _context(request, version, **extra) -> dict:
    user = request.user
    return {
        "version": version,
        "strategy": version.strategy,
        "can_edit": version.is_editable and user.has_perm("strategy.edit_version", version),
        "can_comment": version.state in (VersionState.WORKING, VersionState.INTERNAL_REVIEW)
        and user.has_perm("strategy.comment_internally", version),
        "can_resolve": not version.is_public and user.has_perm("strategy.resolve_comment", version),
        "can_manage_checklist": not version.is_public and user.has_perm("strategy.manage_checklist", version),
        **extra,
    }


# Versions ---------------------------------------------------------------------------------------


@permission_required(WORKSPACE)
def home(request):
    strategy = _strategy()
    versions = list(selectors.all_versions(strategy))
    working = next((v for v in versions if v.state == VersionState.WORKING), None)
    frozen = [v for v in versions if v.state != VersionState.WORKING]
    context = {
        "strategy": strategy,
        "versions": versions,
        "working": working,
        "can_create": working is None and request.user.has_perm("strategy.create_version", strategy),
        "create_form": VersionCreateForm(versions=selectors.all_versions(strategy).exclude(state=VersionState.WORKING)),
        "frozen": frozen,
        "can_manage_team": request.user.has_perm("strategy.manage_team", strategy),
        "compare_form": CompareForm(versions=versions),
    }
    return render(request, "strategy/ws/home.html", context)


@require_POST
@permission_required("strategy.create_version")
def version_create(request):
    strategy = _strategy()
    form = VersionCreateForm(
        request.POST, versions=selectors.all_versions(strategy).exclude(state=VersionState.WORKING)
    )
    if not form.is_valid():
        messages.error(request, _("Choose the version the new one starts from."))
        return redirect("strategy:ws_home")
    try:
        version = services.version_create(
            actor=request.user,
            strategy=strategy,
            based_on=form.cleaned_data["based_on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        _flash(request, error)
        return redirect("strategy:ws_home")
    messages.success(request, _("Version %(number)d is the new working draft.") % {"number": version.number})
    return redirect(_version_url(version))


@permission_required(WORKSPACE)
def version_page(request, number):
    version = _version(request, number)
    document = selectors.document(version, with_source=False, public_attachments=False)
    context = _context(
        request,
        version,
        doc=document,
        open_comments=selectors.open_comment_counts(version),
        chapter_form=ChapterForm(),
        reason_form=ReasonForm(),
        history=list(selectors.state_changes(version)),
        can_submit=version.state in (VersionState.WORKING, VersionState.INTERNAL_REVIEW)
        and request.user.has_perm("strategy.submit_version", version),
        can_publish=version.state == VersionState.INTERNAL_REVIEW
        and request.user.has_perm("strategy.publish_version", version),
    )
    if context["can_submit"] and version.state == VersionState.WORKING:
        context["uncovered"] = list(selectors.uncovered_recommendations(version))
    if context["can_publish"]:
        context["publication_problems"] = services.publication_problems(version)
    if version.is_public:
        context["pdf"] = selectors.version_pdf(version)
        context["can_request_pdf"] = request.user.has_perm("strategy.publish_version", version)
    return render(request, "strategy/ws/version.html", context)


@require_POST
@permission_required(WORKSPACE)
def version_state(request, number):
    version = _version(request, number)
    action = request.POST.get("action")
    try:
        if action == "submit":
            services.version_submit_for_review(actor=request.user, version=version)
            messages.success(request, _("Version %(number)d is now in internal review.") % {"number": version.number})
        elif action == "return":
            services.version_return_to_drafting(
                actor=request.user, version=version, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Version %(number)d is the working draft again.") % {"number": version.number})
        elif action == "pdf":
            if services.version_pdf_request(actor=request.user, version=version) is None:
                messages.info(request, _("The PDF of this version is ready or being made."))
            else:
                messages.success(request, _("The PDF of this version is being made."))
        elif action == "publish":
            services.version_publish(actor=request.user, version=version)
            messages.success(
                request, _("Version %(number)d is public now as the consultation draft.") % {"number": version.number}
            )
        else:
            raise Http404
    except ValidationError as error:
        _flash(request, error)
    return redirect(_version_url(version))


@permission_required(WORKSPACE)
def compare(request):
    strategy = _strategy()
    versions = list(selectors.all_versions(strategy))
    form = CompareForm(request.GET or None, versions=versions)
    context = {"strategy": strategy, "compare_form": form, "comparison_html": None}
    if form.is_bound and form.is_valid():
        by_number = {version.number: version for version in versions}
        numbers = sorted({form.cleaned_data["od"], form.cleaned_data["do"]})
        if len(numbers) == 2:
            context.update(
                old=by_number[numbers[0]],
                new=by_number[numbers[1]],
                comparison_html=comparison_html(by_number[numbers[0]], by_number[numbers[1]], public=False),
            )
        else:
            context["same"] = True
    return render(request, "strategy/ws/compare.html", context)


# Chapters and sections --------------------------------------------------------------------------


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


# Goals, directions, indicators ------------------------------------------------------------------


@permission_required(WORKSPACE)
def goals(request, number):
    version = _version(request, number)
    document = selectors.document(version, public_attachments=False)
    form = GoalForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                goal = services.goal_save(
                    actor=request.user, version=version, data=services.GoalData(**_without_revision(form.cleaned_data))
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("Goal %(number)s added.") % {"number": goal.number})
                return redirect(_version_url(version, "strategy:ws_goals") + f"#g-{goal.key}")
        status = 400
    return render(request, "strategy/ws/goals.html", _context(request, version, doc=document, form=form), status=status)


def _without_revision(data: dict) -> dict:
    return {name: value for name, value in data.items() if name != "revision"}


def _citations_context(request, version, target) -> dict:
    context = {"citations": selectors.citations_of(target)}
    if version.is_editable and request.user.has_perm("strategy.edit_version", version):
        context["citation_form"] = CitationForm(recommendations=selectors.citable_recommendations())
    return context


@permission_required(WORKSPACE)
def goal_edit(request, number, key):
    version = _version(request, number)
    goal = _element(version, "goal", key)
    initial = {
        "title": goal.title,
        "dimension": goal.dimension,
        "description": goal.description,
        "revision": goal.revision,
    }
    form = GoalForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.goal_save(
                    actor=request.user,
                    version=version,
                    goal=goal,
                    expected_revision=form.cleaned_data["revision"],
                    data=services.GoalData(**_without_revision(form.cleaned_data)),
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The goal has been saved."))
                return redirect(_version_url(version, "strategy:ws_goals") + f"#g-{goal.key}")
        status = 400
    context = _context(
        request, version, element=goal, kind="goal", form=form, **_citations_context(request, version, goal)
    )
    return render(request, "strategy/ws/element.html", context, status=status)


@permission_required(WORKSPACE)
def direction_edit(request, number, key=None):
    version = _version(request, number)
    direction = _element(version, "direction", key) if key else None
    initial = {
        "goal": request.GET.get("cel") and StrategicGoal.objects.filter(version=version, key=request.GET["cel"]).first()
    }
    if direction is not None:
        initial = {
            "goal": direction.goal_id,
            "kind": direction.kind,
            "title": direction.title,
            "description": direction.description,
            "revision": direction.revision,
        }
    form = DirectionForm(request.POST or None, initial=initial, version=version)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                saved = services.direction_save(
                    actor=request.user,
                    version=version,
                    goal=data["goal"],
                    direction=direction,
                    expected_revision=data["revision"],
                    data=services.DirectionData(
                        title=data["title"], description=data["description"], kind=data["kind"]
                    ),
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("Direction %(number)s has been saved.") % {"number": saved.number})
                return redirect(_version_url(version, "strategy:ws_goals") + f"#d-{saved.key}")
        status = 400
    extra = _citations_context(request, version, direction) if direction else {}
    context = _context(request, version, element=direction, kind="direction", form=form, **extra)
    return render(request, "strategy/ws/element.html", context, status=status)


@permission_required(WORKSPACE)
def indicator_edit(request, number, key=None):
    version = _version(request, number)
    indicator = _element(version, "indicator", key) if key else None
    initial = {"parent": request.GET.get("rodzic", ""), "target_year": version.strategy.ends_year}
    if indicator is not None:
        parent = f"d:{indicator.direction.key}" if indicator.direction_id else f"g:{indicator.goal.key}"
        initial = {
            "parent": parent,
            **{
                name: getattr(indicator, name)
                for name in (
                    "name",
                    "unit",
                    "baseline_year",
                    "target_year",
                    "source",
                    "frequency",
                    "polarity",
                    "revision",
                )
            },
            "baseline_value": services_decimal(indicator.baseline_value),
            "target_value": services_decimal(indicator.target_value),
        }
    form = IndicatorForm(request.POST or None, initial=initial, version=version)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            goal, direction = form.parent_objects()
            try:
                saved = services.indicator_save(
                    actor=request.user,
                    version=version,
                    indicator=indicator,
                    expected_revision=data["revision"],
                    data=services.IndicatorData(
                        name=data["name"],
                        unit=data["unit"],
                        baseline_value=data["baseline_value"],
                        baseline_year=data["baseline_year"],
                        target_value=data["target_value"],
                        target_year=data["target_year"],
                        source=data["source"],
                        frequency=data["frequency"],
                        polarity=data["polarity"],
                        goal=goal,
                        direction=direction,
                    ),
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The indicator has been saved."))
                return redirect(_version_url(version, "strategy:ws_goals") + f"#i-{saved.key}")
        status = 400
    context = _context(request, version, element=indicator, kind="indicator", form=form)
    return render(request, "strategy/ws/element.html", context, status=status)


def services_decimal(value) -> str:
    from .diff import decimal_text

    return decimal_text(value).replace("\xa0", " ")


# Citations and coverage ---------------------------------------------------------------------------


@require_POST
@permission_required(WORKSPACE)
def citation_add(request, number):
    version = _version(request, number)
    target = _element(version, request.POST.get("kind", ""), request.POST.get("key", ""))
    form = CitationForm(request.POST, recommendations=selectors.citable_recommendations())
    if form.is_valid():
        try:
            services.citation_add(
                actor=request.user, version=version, recommendation=form.cleaned_data["recommendation"], target=target
            )
        except ValidationError as error:
            _flash(request, error)
        else:
            messages.success(request, _("The recommendation is cited."))
    else:
        messages.error(request, _("Choose a recommendation included in the strategy."))
    return redirect(request.POST.get("next") or _version_url(version))


@require_POST
@permission_required(WORKSPACE)
def citation_remove(request, number, pk):
    version = _version(request, number)
    citation = get_object_or_404(Citation, pk=pk, version=version)
    try:
        services.citation_remove(actor=request.user, citation=citation)
    except ValidationError as error:
        _flash(request, error)
    else:
        messages.success(request, _("The citation has been removed."))
    return redirect(request.POST.get("next") or _version_url(version))


@permission_required(WORKSPACE)
def coverage(request, number):
    version = _version(request, number)
    rows = selectors.coverage(version)
    invalid = {}
    if request.method == "POST":
        recommendation = get_object_or_404(Recommendation, pk=request.POST.get("recommendation"))
        if request.POST.get("remove"):
            explanation = get_object_or_404(RecommendationExplanation, version=version, recommendation=recommendation)
            try:
                services.explanation_remove(actor=request.user, explanation=explanation)
            except ValidationError as error:
                _flash(request, error)
            return redirect(_version_url(version, "strategy:ws_coverage"))
        form = ExplanationForm(request.POST, prefix=f"r{recommendation.pk}")
        if form.is_valid():
            try:
                services.explanation_set(
                    actor=request.user,
                    version=version,
                    recommendation=recommendation,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(request, _("The explanation has been saved."))
                return redirect(_version_url(version, "strategy:ws_coverage"))
        invalid[recommendation.pk] = form
    context = _context(request, version)
    for row in rows:
        initial = {"reason": row.explanation.reason} if row.explanation else None
        row.form = invalid.get(row.recommendation.pk) or ExplanationForm(
            prefix=f"r{row.recommendation.pk}", initial=initial
        )
    context.update(rows=rows, uncovered=sum(1 for row in rows if not row.covered))
    return render(request, "strategy/ws/coverage.html", context, status=400 if invalid else 200)


# The checklist ------------------------------------------------------------------------------------


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


# Attachments --------------------------------------------------------------------------------------


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


# The team -----------------------------------------------------------------------------------------


@permission_required("strategy.manage_team")
def team(request):
    strategy = _strategy()
    form = TeamGrantForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if request.POST.get("withdraw"):
            membership = get_object_or_404(TeamMembership, pk=request.POST["withdraw"], strategy=strategy)
            try:
                services.team_withdraw(actor=request.user, membership=membership)
            except ValidationError as error:
                _flash(request, error)
            else:
                messages.success(request, _("%(person)s no longer has this role.") % {"person": membership.user})
            return redirect("strategy:ws_team")
        if form.is_valid():
            try:
                membership = services.team_grant(
                    actor=request.user,
                    strategy=strategy,
                    user=form.user,
                    role=form.cleaned_data["role"],
                    department=form.cleaned_data["department"],
                )
            except ValidationError as error:
                _form_errors(request, form, error)
            else:
                messages.success(
                    request,
                    _("%(person)s: %(role)s.") % {"person": membership.user, "role": membership.get_role_display()},
                )
                return redirect("strategy:ws_team")
        status = 400
    require_permission(request.user, "strategy.manage_team", strategy)
    context = {
        "strategy": strategy,
        "members": list(selectors.team(strategy)),
        "former": list(selectors.former_team(strategy)),
        "form": form,
    }
    return render(request, "strategy/ws/team.html", context, status=status)
