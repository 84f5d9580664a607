"""The editorial team's pages: the triage list with filters and bulk actions, one comment (answer, moderation,
assignment, group, likely duplicates), the moderation queue and the groups."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from accounts.roles import ADMIN, COORDINATOR
from lublin2030.permissions import permission_required, require_permission
from participation.models import ModerationAction
from strategy.models import EDITORIAL_ROLES

from . import selectors, services
from .forms import AnswerForm, BulkForm, ModerationForm, TriageFilterForm
from .models import CommentGroup
from .similarity import similar_comments
from .views import readable

PAGE_SIZE = 50


def team(consultation) -> list:
    """The people comments can be assigned to: coordinators and the strategy's editorial team (one query)."""
    strategy_id = consultation.version.strategy_id
    return list(
        get_user_model()
        .objects.filter(
            Q(groups__name__in=(COORDINATOR, ADMIN))
            | Q(
                strategy_memberships__strategy_id=strategy_id,
                strategy_memberships__withdrawn_at__isnull=True,
                strategy_memberships__role__in=EDITORIAL_ROLES,
            ),
            is_active=True,
        )
        .distinct()
        .order_by("display_name", "email")
    )


def _filter(form) -> selectors.TriageFilter:
    if not form.is_valid():
        return selectors.TriageFilter()
    data = form.cleaned_data
    assignee = data["assignee"]
    kind, _sep, key = data["chapter"].partition(":")
    return selectors.TriageFilter(
        status=data["status"],
        chapter=key if kind == "c" else "",
        section=key if kind == "s" else "",
        channel=data["channel"],
        assignee=int(assignee) if assignee not in ("", None) else None,
        group=int(data["group"]) if data["group"] else None,
        query=data["q"].strip(),
    )


@permission_required("consultation.read_triage")
@require_http_methods(["GET", "HEAD", "POST"])
def triage(request, pk: int):
    consultation = readable(request, pk)
    people = team(consultation)
    groups = list(CommentGroup.objects.filter(consultation=consultation).order_by("title", "id"))
    filters = TriageFilterForm(
        request.GET or None, chapters=selectors.fragment_choices(consultation), people=people, groups=groups
    )
    page = Paginator(selectors.triage(consultation, _filter(filters)), PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.annotate(page.object_list)
    ids = [comment.pk for comment in page.object_list]
    bulk = BulkForm(comment_ids=ids, people=people, groups=groups)
    if request.method == "POST":
        posted = [int(value) for value in request.POST.getlist("comments") if value.isdigit()]
        bulk = BulkForm(request.POST, comment_ids=posted, people=people, groups=groups)
        if bulk.is_valid():
            try:
                text = _bulk(request.user, consultation, bulk.cleaned_data)
            except ValidationError as error:
                bulk.add_error(None, error)
            else:
                messages.success(request, text)
                return redirect(request.get_full_path())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "consultation": consultation,
        "filters": filters,
        "page": page,
        "comments": page.object_list,
        "bulk": bulk,
        "base_query": query.urlencode(),
        "selected": set(bulk.data.getlist("comments")) if bulk.is_bound else set(),
    }
    return render(request, "consultation/staff/triage.html", context, status=400 if bulk.errors else 200)


def _bulk(actor, consultation, data) -> str:
    ids = data["comments"]
    if not ids:
        raise ValidationError(_("Choose at least one comment."))
    action = data["action"]
    if action == "answer":
        count = services.comments_answer_bulk(
            actor=actor,
            consultation=consultation,
            comment_ids=ids,
            answer=data["answer"],
            justification=data["justification"],
        )
        return ngettext("%(count)d comment answered.", "%(count)d comments answered.", count) % {"count": count}
    if action == "assign":
        assignee = get_user_model().objects.filter(pk=data["assignee"]).first() if data["assignee"] else None
        count = services.comments_assign(actor=actor, consultation=consultation, comment_ids=ids, assignee=assignee)
        return ngettext("%(count)d comment assigned.", "%(count)d comments assigned.", count) % {"count": count}
    if action == "new_group":
        group = services.group_create(
            actor=actor, consultation=consultation, title=data["group_title"], comment_ids=ids
        )
        return _("The group “%(title)s” is created.") % {"title": group.title}
    group = CommentGroup.objects.filter(pk=data["group"], consultation=consultation).first() if data["group"] else None
    count = services.comments_group(actor=actor, consultation=consultation, comment_ids=ids, group=group)
    return ngettext("%(count)d comment moved.", "%(count)d comments moved.", count) % {"count": count}


@permission_required("consultation.read_triage")
@require_http_methods(["GET", "HEAD", "POST"])
def staff_comment(request, pk: int, number: int):
    consultation = readable(request, pk)
    comment = selectors.comment_by_number(consultation, number)
    if comment is None:
        raise Http404
    selectors.annotate([comment])
    initial = {"answer": comment.answer or None, "justification": comment.answer_justification}
    answer_form = AnswerForm(initial=initial)
    moderation_form = ModerationForm()
    if request.method == "POST":
        action = request.POST.get("form")
        try:
            if action == "answer":
                answer_form = AnswerForm(request.POST)
                if answer_form.is_valid():
                    services.comment_answer(
                        actor=request.user,
                        comment=comment,
                        answer=answer_form.cleaned_data["answer"],
                        justification=answer_form.cleaned_data["justification"],
                    )
                    messages.success(request, _("The answer to comment no. %(number)d is saved.") % {"number": number})
                    return redirect(_next_unanswered(consultation, number, request))
            elif action == "moderate":
                moderation_form = ModerationForm(request.POST)
                if moderation_form.is_valid():
                    services.comment_moderate(actor=request.user, comment=comment, **moderation_form.cleaned_data)
                    messages.success(request, _("The moderation decision is saved."))
                    return redirect("consultation:staff_comment", pk=pk, number=number)
            elif action in ("assign", "group"):
                _assign_or_group(request, consultation, comment, action)
                return redirect("consultation:staff_comment", pk=pk, number=number)
            else:
                raise Http404
        except ValidationError as error:
            target = answer_form if action == "answer" else moderation_form
            if action in ("answer", "moderate"):
                target.add_error(None, error)
            else:
                for message in error.messages:
                    messages.error(request, message)
    context = {
        "consultation": consultation,
        "comment": comment,
        "answer_form": answer_form,
        "moderation_form": moderation_form,
        "similar": similar_comments(comment),
        "people": team(consultation),
        "groups": list(CommentGroup.objects.filter(consultation=consultation).order_by("title")),
        "changes": selectors.changes_of(comment, public_only=False),
        "may_answer": request.user.has_perm("consultation.answer_comment", consultation),
        "may_moderate": request.user.has_perm("consultation.moderate_comment", consultation),
    }
    failed = answer_form.errors or moderation_form.errors
    return render(request, "consultation/staff/comment.html", context, status=400 if failed else 200)


def _assign_or_group(request, consultation, comment, action) -> None:
    value = request.POST.get("value", "")
    ids = [comment.pk] + [int(v) for v in request.POST.getlist("also") if v.isdigit()]
    if action == "assign":
        person = get_user_model().objects.filter(pk=value).first() if value.isdigit() else None
        services.comments_assign(actor=request.user, consultation=consultation, comment_ids=ids, assignee=person)
        messages.success(request, _("The assignment is saved."))
        return
    if value == "new":
        title = request.POST.get("title", "")
        group = services.group_create(actor=request.user, consultation=consultation, title=title, comment_ids=ids)
    else:
        group = CommentGroup.objects.filter(pk=value, consultation=consultation).first() if value.isdigit() else None
        services.comments_group(actor=request.user, consultation=consultation, comment_ids=ids, group=group)
    messages.success(request, _("The group is saved.") if group else _("The comment is out of its group."))


def _next_unanswered(consultation, number: int, request) -> str:
    """After an answer, the next unanswered comment: the team works through the list without going back."""
    following = (
        selectors.triage(consultation, selectors.TriageFilter(status="unanswered"))
        .filter(number__gt=number)
        .values_list("number", flat=True)
        .first()
    )
    if following is None:
        return (
            reverse("consultation:triage", kwargs={"pk": consultation.pk}) + "?" + urlencode({"status": "unanswered"})
        )
    return reverse("consultation:staff_comment", kwargs={"pk": consultation.pk, "number": following})


@permission_required("consultation.moderate_comment")
@require_http_methods(["GET", "HEAD", "POST"])
def moderation(request, pk: int):
    consultation = readable(request, pk)
    page = Paginator(selectors.moderation_queue(consultation), PAGE_SIZE).get_page(request.GET.get("page"))
    selectors.annotate(page.object_list)
    form = ModerationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        ids = [int(value) for value in request.POST.getlist("comments") if value.isdigit()]
        try:
            result = services.comments_moderate_bulk(
                actor=request.user, consultation=consultation, comment_ids=ids, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            done = len(result["done"])
            if form.cleaned_data["action"] == ModerationAction.PUBLISH:
                text = ngettext("%(count)d comment published.", "%(count)d comments published.", done)
            else:
                text = ngettext("%(count)d comment rejected.", "%(count)d comments rejected.", done)
            messages.success(request, text % {"count": done})
            return redirect("consultation:moderation", pk=pk)
    context = {"consultation": consultation, "page": page, "comments": page.object_list, "form": form}
    return render(request, "consultation/staff/moderation.html", context, status=400 if form.errors else 200)


@permission_required("consultation.read_triage")
@require_http_methods(["GET", "HEAD", "POST"])
def groups(request, pk: int):
    consultation = readable(request, pk)
    if request.method == "POST":
        require_permission(request.user, "consultation.answer_comment", consultation)
        group = CommentGroup.objects.filter(pk=request.POST.get("delete", ""), consultation=consultation).first()
        if group is None:
            raise Http404
        try:
            services.group_delete(actor=request.user, group=group)
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The group is removed; its comments keep their answers."))
        return redirect("consultation:groups", pk=pk)
    return render(
        request,
        "consultation/staff/groups.html",
        {"consultation": consultation, "groups": selectors.groups(consultation)},
    )
