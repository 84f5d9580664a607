"""Opinion test data. Use with the `reference_data` fixture, which loads areas, districts, channels."""

import datetime

import factory
from django.utils import timezone

from participation.models import Area, Channel, District, Event, ModerationStatus, Opinion
from tests.accounts.factories import UserFactory


class AreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Area
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"obszar-{n}")
    name_pl = factory.Sequence(lambda n: f"Obszar {n}")
    name_en = factory.Sequence(lambda n: f"Area {n}")


class DistrictFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = District
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"dzielnica-{n}")
    name = factory.Sequence(lambda n: f"Dzielnica {n}")


class ChannelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Channel
        django_get_or_create = ["code"]

    code = Channel.ONLINE_FORM
    name_pl = "Formularz internetowy"
    name_en = "Online form"
    is_online = True


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Kafejka Partycypacyjna nr {n}")
    stage = factory.LazyFunction(lambda: __import__("stages.models").models.Stage.objects.get(number=2))
    channel = factory.SubFactory(ChannelFactory, code="kafejka", name_pl="Kafejka Partycypacyjna", is_online=False)
    district = factory.SubFactory(DistrictFactory)
    place = "Centrum Kultury, ul. Peowiaków 12"
    starts_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))


class OpinionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opinion

    text = factory.Sequence(lambda n: f"Więcej zieleni i ławek przy ulicach, propozycja numer {n}.")
    area = factory.SubFactory(AreaFactory)
    district = factory.SubFactory(DistrictFactory)
    channel = factory.SubFactory(ChannelFactory)
    author = factory.SubFactory(UserFactory)
    status = ModerationStatus.PENDING

    class Params:
        published = factory.Trait(
            status=ModerationStatus.PUBLISHED,
            published_at=factory.LazyFunction(timezone.now),
        )
