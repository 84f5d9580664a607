from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lublin2030 import ratelimit
from participation.models import Area, Opinion
from stages.models import WindowKind
from stages.selectors import window_status
from workgroups.selectors import group_leader

from . import selectors, services
from .forms import (
    CommentForm,
    InternalCommentForm,
)
from .models import PUBLIC_STATUSES, Recommendation, RecommendationStatus


def _errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def _visible_or_404(request, pk) -> Recommendation:
    """Drafts of a group are not merely forbidden to others: they do not exist for them."""
    recommendation = selectors.recommendation_detail(pk)
    if recommendation is None or not request.user.has_perm("recommendations.read_recommendation", recommendation):
        raise Http404
    return recommendation


def _plain_or_404(request, pk, permission: str) -> Recommendation:
    recommendation = get_object_or_404(Recommendation.objects.select_related("group__area"), pk=pk)
    if not request.user.has_perm("recommendations.read_recommendation", recommendation):
        raise Http404
    if not request.user.has_perm(permission, recommendation):
        raise PermissionDenied
    return recommendation


# Public pages ---------------------------------------------------------------------------------


def recommendation_list(request):
    areas = list(Area.objects.filter(working_group__isnull=False).order_by("position", "name_pl"))
    area = next((a for a in areas if a.slug == request.GET.get("obszar")), None)
    status = request.GET.get("status") if request.GET.get("status") in PUBLIC_STATUSES else ""
    query = request.GET.get("q", "").strip()[:200]
    recommendations = selectors.public_recommendation_list(area=area, status=status or None, query=query)
    page = Paginator(recommendations, 20).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "areas": areas,
        "area": area,
        "status": status,
        "statuses": [(value, label) for value, label in RecommendationStatus.choices if value in PUBLIC_STATUSES],
        "query": query,
        "comments_window": window_status(WindowKind.RECOMMENDATION_COMMENTS),
    }
    return render(request, "recommendations/list.html", context)


def recommendation_detail(request, pk):
    recommendation = _visible_or_404(request, pk)
    return _render_detail(request, recommendation)


def _render_detail(request, recommendation, *, comment_form=None, internal_form=None, status=200):
    user = request.user
    workspace = user.has_perm("recommendations.read_workspace_items", recommendation)
    verdicts_public = recommendation.verdicts_are_public
    comments_window = window_status(WindowKind.RECOMMENDATION_COMMENTS)
    can_comment = recommendation.is_public and user.has_perm("recommendations.comment_recommendation", recommendation)
    context = {
        "recommendation": recommendation,
        "goals": list(recommendation.goals.all()),
        "directions": list(recommendation.directions.all()),
        "evidence": recommendation.public_evidence,
        "assessments": recommendation.current_assessments,
        "show_assessments": verdicts_public or user.has_perm("recommendations.verify_recommendation"),
        "comments": list(selectors.published_comments(recommendation)) if recommendation.is_public else [],
        "my_comments": list(selectors.comments_of(user, recommendation)),
        "comments_window": comments_window,
        "can_comment": can_comment and comments_window.is_open,
        "comment_form": comment_form or CommentForm(),
        "workspace": workspace,
        "can_edit": user.has_perm("recommendations.edit_recommendation", recommendation),
        "can_submit": user.has_perm("recommendations.submit_recommendation", recommendation),
        "can_verify": recommendation.status in (RecommendationStatus.SUBMITTED, RecommendationStatus.IN_VERIFICATION)
        and user.has_perm("recommendations.verify_recommendation", recommendation),
        "can_include": recommendation.status == RecommendationStatus.VERIFIED
        and user.has_perm("recommendations.include_recommendation", recommendation),
    }
    if workspace:
        context["internal_comments"] = list(selectors.internal_comments(recommendation))
        context["internal_form"] = internal_form or InternalCommentForm()
        context["can_comment_internally"] = user.has_perm("recommendations.write_internal_comment", recommendation)
        context.update(_submission_context(user, recommendation))
    return render(request, "recommendations/detail.html", context, status=status)


def _submission_context(user, recommendation) -> dict:
    """Who may submit, and what stands in the way: members see why they have no button."""
    if not recommendation.is_editable:
        return {"submittable": False}
    return {
        "submittable": True,
        "can_submit": user.has_perm("recommendations.submit_recommendation", recommendation),
        "leader": group_leader(recommendation.group),
        "problems": services.completeness_problems(recommendation),
        "drafting": window_status(WindowKind.DRAFTING),
    }


@login_required
@require_POST
def comment_create(request, pk):
    recommendation = _visible_or_404(request, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        try:
            services.comment_submit(
                actor=request.user,
                recommendation=recommendation,
                text=form.cleaned_data["text"],
                ip_address=ratelimit.client_ip(request),
            )
        except PermissionDenied:
            messages.error(request, _("Only residents with a verified e-mail address can comment."))
            return redirect(recommendation)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                form.add_error(None, error.messages)
            if isinstance(error, ratelimit.RateLimited):
                return _render_detail(request, recommendation, comment_form=form, status=429)
        else:
            messages.success(request, _("Thank you: your comment will be published after moderation."))
            return redirect(recommendation)
    return _render_detail(request, recommendation, comment_form=form, status=400)


def opinion_trace(request, opinion_pk):
    """Where did this opinion go? The public recommendations citing one published opinion."""
    opinion = get_object_or_404(Opinion.objects.select_related("area", "district"), pk=opinion_pk)
    if not request.user.has_perm("participation.read_opinion", opinion):
        raise Http404
    context = {
        "opinion": opinion,
        "trace_recommendations": selectors.recommendations_citing(opinion_ids=[opinion.pk]).get(opinion.pk, []),
    }
    return render(request, "recommendations/opinion_trace.html", context)
