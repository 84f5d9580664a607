from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkgroupsConfig(AppConfig):
    name = "workgroups"
    verbose_name = _("Working groups")

    def ready(self):
        from lublin2030 import versions

        from .models import Application, Membership, WorkingGroup

        versions.bump_on_writes(versions.GROUPS, [WorkingGroup, Membership, Application])
