"""Report test data. Opinions come from tests.participation.factories with the `reference_data` fixture."""

import factory
from django.utils import timezone

from reports.models import Report, ReportKind, ReportStatus
from tests.participation.factories import OpinionFactory


class ReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Report

    kind = ReportKind.OPINIONS
    language = "pl"
    status = ReportStatus.QUEUED
    heartbeat_at = factory.LazyFunction(timezone.now)


def published_opinions(count, *, area=None, district=None, channel=None, text=None):
    """`count` public opinions; with `text`, it is formatted with the opinion's number (`{n}`)."""
    from participation.models import Area, Channel, District

    area = area or Area.objects.order_by("position").first()
    district = district or District.objects.order_by("position").first()
    channel = channel or Channel.objects.order_by("position").first()
    opinions = []
    for n in range(count):
        kwargs = {"area": area, "district": district, "channel": channel, "published": True, "author": None}
        if text:
            kwargs["text"] = text.format(n=n)
        opinions.append(OpinionFactory(**kwargs))
    return opinions
