import datetime

import factory

from stages.models import ParticipationWindow, Stage, WindowKind


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Stage

    number = factory.Sequence(lambda n: n + 1)
    slug = factory.Sequence(lambda n: f"etap-{n + 1}")
    title_pl = factory.Sequence(lambda n: f"Etap {n + 1}")
    title_en = factory.Sequence(lambda n: f"Stage {n + 1}")
    description_pl = "Opis etapu."
    description_en = "Stage description."
    starts_on = datetime.date(2026, 1, 1)
    ends_on = datetime.date(2026, 12, 31)


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ParticipationWindow

    stage = factory.SubFactory(StageFactory)
    kind = WindowKind.OPINIONS
