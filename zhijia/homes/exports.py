"""Excel outputs of module homes (written by zhijia.core.excel): a round's standings and the
yearly comparison across branches."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhijia.core import excel
from zhijia.homes.queries import rounds as queries


def round_sheet(user, round_) -> excel.Sheet:
    rows = (
        [
            r.rank or "",
            r.assessment.org_unit.name,
            r.assessment.state_label,
            r.assessment.self_total,
            r.assessment.review_total,
            r.suggested,
            r.assessment.title,
        ]
        for r in queries.standings(user, round_)
    )
    return excel.Sheet(
        _("建家评比"),
        [
            excel.Column(_("名次")),
            excel.Column(_("分工会")),
            excel.Column(_("状态")),
            excel.Column(_("自评总分")),
            excel.Column(_("评审总分")),
            excel.Column(_("建议称号")),
            excel.Column(_("授予称号")),
        ],
        rows,
        heading=[[f"{round_.year} {round_.title}"]],
    )


def comparison_sheet(user) -> excel.Sheet:
    data = queries.comparison(user)
    columns = [excel.Column(_("分工会"))]
    for year in data.years:
        columns += [
            excel.Column(_("%(y)d年总分") % {"y": year}),
            excel.Column(_("%(y)d年称号") % {"y": year}),
        ]
    rows = (
        [line.unit_name, *[v for total, title in line.cells for v in (total, title)]]
        for line in data.lines
    )
    return excel.Sheet(_("建家历年对比"), columns, rows)
