from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StagesConfig(AppConfig):
    name = "stages"
    verbose_name = _("Stages of the process")

    def ready(self):
        from lublin2030 import versions

        from .models import ParticipationWindow, ProcessState, Stage

        versions.bump_on_writes(versions.CALENDAR, [Stage, ParticipationWindow, ProcessState])
