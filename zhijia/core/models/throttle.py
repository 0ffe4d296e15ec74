"""The counters of core.throttle: one row per brake key and window."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["ThrottleWindow"]


class ThrottleWindow(models.Model):
    """A fixed window of a brake: `count` events under `key` until `until`.

    The key is a keyed digest (of a client address, a typed code, or a scope for everyone):
    no address or code is stored. Rows past `until` are deleted when a new window starts.
    Incremented with UPDATE ... SET count = count + 1, so concurrent requests never lose a hit.
    """

    key = models.CharField(max_length=160, primary_key=True)
    count = models.PositiveIntegerField(default=0)
    until = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("限流计数")
        verbose_name_plural = _("限流计数")

    def __str__(self) -> str:
        return f"{self.key} {self.count}"
