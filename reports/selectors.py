"""Reads of the reports app: the staff list, published reports, and the data each report prints."""

import datetime
import hashlib
from collections import Counter, OrderedDict
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from participation.models import Area, Channel, District, Opinion
from stages.models import Stage

from .models import ACTIVE_STATUSES, PartStatus, Report, ReportPart, ReportStatus

# --- reports -------------------------------------------------------------------------------------


def report_list(*, limit: int = 50):
    return Report.objects.select_related("area", "requested_by", "published_stage").order_by("-queued_at", "-id")[
        :limit
    ]


def report_for_staff(pk: int) -> Report | None:
    return Report.objects.select_related("area", "requested_by", "published_stage").filter(pk=pk).first()


def published_reports_of_stage(stage, *, limit: int = 20):
    return (
        Report.objects.filter(published_stage=stage, status=ReportStatus.DONE)
        .exclude(file="")
        .select_related("area")
        .order_by("-published_at", "-id")[:limit]
    )


def published_report(pk: int) -> Report | None:
    return (
        Report.objects.filter(pk=pk, status=ReportStatus.DONE, published_stage__isnull=False)
        .exclude(file="")
        .select_related("area")
        .first()
    )


def stale_reports(*, running_before, queued_before, lost_before=None):
    """Reports that may have lost their worker or message; the sweeper decides under a row lock."""
    stale = Q(status=ReportStatus.RUNNING, heartbeat_at__lt=running_before) | Q(
        status=ReportStatus.QUEUED, heartbeat_at__lt=queued_before
    )
    if lost_before is not None:
        stale |= Q(status=ReportStatus.RUNNING, active_steps__gt=0, heartbeat_at__lt=lost_before)
        # A part whose worker went silent while other parts of the report still render elsewhere.
        stale |= Q(
            status=ReportStatus.RUNNING,
            parts__status=PartStatus.PENDING,
            parts__worker__gt="",
            parts__heartbeat_at__lt=lost_before,
        )
    return Report.objects.filter(stale).distinct()


def has_active_reports() -> bool:
    return Report.objects.filter(status__in=ACTIVE_STATUSES).exists()


def parts_of(report: Report):
    return ReportPart.objects.filter(report=report, run=report.run).order_by("index")


def stages_for_publishing():
    return Stage.objects.order_by("number")


# --- the opinions report -------------------------------------------------------------------------

OPINION_ORDER = ("area__position", "area__name_pl", "district__position", "district__name", "collected_on", "id")


def report_opinions(*, area_id: int | None = None):
    opinions = Opinion.objects.public()
    if area_id:
        opinions = opinions.filter(area_id=area_id)
    return opinions


@dataclass
class OpinionPlan:
    """A snapshot of which opinions a report prints, in order, and the figures of its summary.

    Taken once when the report starts, so the parts rendered by different workers, the summary and
    the table of contents all describe the same set even if moderators publish more meanwhile.
    """

    ids: list[int]
    keys: list[tuple[int, int]]  # (area id, district id) of each opinion
    groups: list[dict]  # [{"area": id, "district": id, "count": n}] in order
    summary: dict = field(default_factory=dict)
    # A digest of what the report prints of each opinion (text, place, date, channel): the parts'
    # content keys (services/part_cache.py) are built from these.
    digests: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.ids)


def opinion_plan(*, area_id: int | None = None) -> OpinionPlan:
    rows = (
        report_opinions(area_id=area_id)
        .order_by(*OPINION_ORDER)
        .values_list("id", "area_id", "district_id", "channel_id", "collected_on", "text", "place")
    )
    ids, keys, digests = [], [], []
    groups: OrderedDict[tuple[int, int], int] = OrderedDict()
    by_area, by_district, by_channel, by_month = Counter(), Counter(), Counter(), Counter()
    first_day = last_day = None
    for pk, area, district, channel, collected_on, text, place in rows.iterator(chunk_size=5000):
        ids.append(pk)
        keys.append((area, district))
        digests.append(opinion_digest(text, place, collected_on, channel))
        groups[(area, district)] = groups.get((area, district), 0) + 1
        by_area[area] += 1
        by_district[district] += 1
        by_channel[channel] += 1
        by_month[collected_on.strftime("%Y-%m")] += 1
        first_day = collected_on if first_day is None or collected_on < first_day else first_day
        last_day = collected_on if last_day is None or collected_on > last_day else last_day
    summary = {
        "total": len(ids),
        "by_area": dict(by_area),
        "by_district": dict(by_district),
        "by_channel": dict(by_channel),
        "by_month": dict(sorted(by_month.items())),
        "first_day": first_day.isoformat() if first_day else None,
        "last_day": last_day.isoformat() if last_day else None,
    }
    return OpinionPlan(
        ids=ids,
        keys=keys,
        groups=[{"area": a, "district": d, "count": n} for (a, d), n in groups.items()],
        summary=summary,
        digests=digests,
    )


def opinion_digest(text: str, place: str, collected_on, channel_id: int) -> str:
    printed = "\x1f".join((text, place or "", collected_on.isoformat(), str(channel_id)))
    return hashlib.blake2b(printed.encode(), digest_size=12).hexdigest()


@dataclass
class Names:
    areas: dict[int, Area]
    districts: dict[int, District]
    channels: dict[int, Channel]


def reference_names() -> Names:
    """Areas, districts and channels by id: three small queries, whatever the report's size."""
    return Names(
        areas={a.pk: a for a in Area.objects.all()},
        districts={d.pk: d for d in District.objects.all()},
        channels={c.pk: c for c in Channel.objects.all()},
    )


def opinions_by_ids(ids: list[int]) -> list[Opinion]:
    """The opinions of one part, in report order, with only what the report prints."""
    opinions = Opinion.objects.filter(pk__in=ids).only(
        "id", "text", "area_id", "district_id", "channel_id", "collected_on", "place"
    )
    by_id = {opinion.pk: opinion for opinion in opinions}
    return [by_id[pk] for pk in ids if pk in by_id]


def month_label(key: str) -> datetime.date:
    year, month = key.split("-")
    return datetime.date(int(year), int(month), 1)


# --- the working groups' report and the verification report -------------------------------------


def recommendations_available() -> bool:
    """The recommendations app is built in parallel; the two reports need its models."""
    try:
        from recommendations.models import Recommendation  # noqa: F401
        from workgroups.models import WorkingGroup  # noqa: F401
    except ImportError:
        return False
    return True


def workgroups_with_recommendations():
    """Every working group with its public recommendations in their fixed structure, in a fixed number of queries.

    Drafts and recommendations returned for changes stay the groups' own: a report may be published.
    """
    from recommendations.models import Assessment, Direction, Recommendation
    from recommendations.selectors import public_assessments, with_evidence_count
    from workgroups.models import MemberCategory, WorkingGroup

    recommendations = (
        with_evidence_count(Recommendation.objects.public())
        .prefetch_related(
            "goals",
            Prefetch("directions", queryset=Direction.objects.prefetch_related("goals").order_by("position")),
            Prefetch("assessments", queryset=Assessment.objects.order_by("round", "kind"), to_attr="all_assessments"),
        )
        .order_by("title", "id")
    )
    groups = list(
        WorkingGroup.objects.select_related("area")
        .annotate(
            member_count=Count("memberships", distinct=True),
            leader_count=Count("memberships", filter=Q(memberships__category=MemberCategory.LEADER), distinct=True),
        )
        .prefetch_related(Prefetch("recommendations", queryset=recommendations, to_attr="report_recommendations"))
        .order_by("area__position", "area__name_pl")
    )
    for group in groups:
        for recommendation in group.report_recommendations:
            recommendation.report_assessments = public_assessments(recommendation)
    return groups


def verification_overview():
    """Recommendations that reached verification, by group, and a count of verdicts per kind."""
    from recommendations.models import VERDICTS_PUBLIC_STATUSES, AssessmentKind, Verdict

    groups = workgroups_with_recommendations()
    verified_statuses = VERDICTS_PUBLIC_STATUSES
    counts = {kind: Counter() for kind in AssessmentKind.values}
    totals = Counter()
    for group in groups:
        for recommendation in group.report_recommendations:
            totals[recommendation.status] += 1
            for assessment in recommendation.report_assessments:
                counts[assessment.kind][assessment.verdict] += 1
    table = [
        {
            "kind": AssessmentKind(kind).label,
            "cells": [counts[kind][verdict] for verdict in Verdict.values],
        }
        for kind in AssessmentKind.values
    ]
    return {
        "groups": groups,
        "verdict_labels": [Verdict(v).label for v in Verdict.values],
        "verdict_table": table,
        "verified_count": sum(totals[s] for s in verified_statuses),
        "pending_count": sum(n for s, n in totals.items() if s not in verified_statuses),
        "total": sum(totals.values()),
    }
