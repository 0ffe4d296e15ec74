"""Figures of module congress (zhijia.core.figures), imported by CongressConfig.ready()."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from zhijia.core import figures


def _sessions_held(scope: figures.Scope) -> int:
    from zhijia.congress.models import Session

    return Session.objects.filter(
        term__unit__path__startswith=scope.unit_path,
        state=Session.State.CLOSED,
        date__range=(scope.start, scope.end),
    ).count()


figures.register(
    figures.Figure(
        key="congress.sessions_held",
        label=_("召开职工代表大会"),
        module="congress",
        compute=_sessions_held,
        unit=_("次"),
        order=10,
        description=_("会议日期在期间内且已闭会的职代会会议"),
    )
)
