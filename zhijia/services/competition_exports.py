"""Excel outputs of competitions (zhijia.core.excel): the entries, a stage's scores (every
judge's, once the stage is closed) and a stage's ranking."""

from __future__ import annotations

from django.utils.translation import gettext as _

from zhijia.core import excel
from zhijia.services.models import Competition, CompetitionStage
from zhijia.services.queries import competitions as queries


def _name(user) -> str:
    member = getattr(user, "member_record", None)
    return member.name if member is not None else user.get_full_name()


def _employee_no(user) -> str:
    member = getattr(user, "member_record", None)
    return member.employee_no if member is not None else ""


def entries_sheet(competition: Competition) -> excel.Sheet:
    def rows():
        for entry in queries.active_entries(competition).order_by("registered_at", "id"):
            members = (
                "、".join(_name(u) for u in queries.entry_members(entry))
                if entry.kind == entry.Kind.TEAM
                else ""
            )
            yield (
                entry.get_kind_display(),
                entry.label,
                _name(entry.leader),
                _employee_no(entry.leader),
                entry.org_unit.name,
                members,
                entry.registered_at,
            )

    return excel.Sheet(
        _("参赛报名"),
        [
            _("类型"),
            _("参赛者/团队"),
            _("姓名/队长"),
            excel.Column(_("工号"), text=True),
            _("所在单位"),
            _("团队成员"),
            _("报名时间"),
        ],
        rows(),
        heading=[[competition.title]],
    )


def scores_sheet(user, stage: CompetitionStage) -> excel.Sheet:
    """Every score the user may read (queries.stage_scores_for)."""
    rows = (
        (s.entry.label, s.item.name, _name(s.judge.user), s.points)
        for s in queries.stage_scores_for(user, stage).iterator()
    )
    return excel.Sheet(
        _("评分明细"),
        [_("参赛者/团队"), _("评分项"), _("评委"), excel.Column(_("得分"), number_format="0.00")],
        rows,
        heading=[[f"{stage.competition.title} · {stage.name}"]],
    )


def ranking_sheet(stage: CompetitionStage) -> excel.Sheet:
    items = queries.items_of(stage.competition)
    means = queries.item_means(stage)

    def rows():
        for r in queries.stage_results(stage):
            scores = means.get(r.entry_id, ())
            yield (
                r.rank,
                r.entry.label,
                r.entry.org_unit.name,
                *[s if s is not None else "" for s in scores],
                r.total,
                r.finished_at,
                _("是") if r.advanced else "",
            )

    return excel.Sheet(
        _("排名"),
        [
            _("名次"),
            _("参赛者/团队"),
            _("所在单位"),
            *[excel.Column(i.name, number_format="0.000") for i in items],
            excel.Column(_("加权总分"), number_format="0.000"),
            _("完成时间"),
            _("晋级"),
        ],
        rows(),
        heading=[[f"{stage.competition.title} · {stage.name}"]],
    )
