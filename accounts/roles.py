"""Staff roles. Every account is a resident; these groups add staff duties."""

from django.utils.translation import gettext_lazy as _

MODERATOR = "moderator"
COORDINATOR = "coordinator"
ADMIN = "admin"

ROLE_NAMES = {
    MODERATOR: _("Moderator"),
    COORDINATOR: _("Coordinator"),
    ADMIN: _("Administrator"),
}
STAFF_ROLES = (MODERATOR, COORDINATOR, ADMIN)
