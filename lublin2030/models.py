"""Project-wide models: the outbox of background work that could not be queued."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """A task that was to be queued after a commit while the broker did not answer.

    `lublin2030.queue.outbox_flush` sends it once the broker is back (every minute under beat, and
    when a worker starts), so an outage delays background work but never loses it.
    """

    task_name = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("keyword arguments"), default=dict)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=1)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["pk"]
        verbose_name = _("queued task waiting for the broker")
        verbose_name_plural = _("queued tasks waiting for the broker")

    def __str__(self):
        return f"{self.task_name} #{self.pk}"
