"""Excel output of surveys (written by zhijia.core.excel): the cadre's list, the results, and
a named survey's responses (one row per respondent). An anonymous survey has no responses
export: its answers are only ever shown counted."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from zhijia.core.excel import Column, Sheet
from zhijia.core.satisfaction import label
from zhijia.services import survey_rules as rules
from zhijia.services.queries import surveys as queries


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def list_sheet(surveys) -> Sheet:
    columns = [
        Column(_("标题"), width=36),
        _("类型"),
        _("发起组织"),
        _("填写方式"),
        _("状态"),
        _("开始时间"),
        _("截止时间"),
        _("已填写人数"),
    ]
    rows = (
        [
            s.title,
            s.get_kind_display(),
            s.org_unit.name,
            _("匿名") if s.anonymous else _("实名"),
            s.get_state_display(),
            _when(s.opens_at or s.opened_at),
            _when(s.closes_at or s.closed_at),
            s.respondents,
        ]
        for s in surveys.iterator()
    )
    return Sheet(_("问卷"), columns, rows)


def results_sheets(results: queries.SurveyResults) -> list[Sheet]:
    survey = results.survey
    heading = [
        [survey.title],
        [
            _("已填写 %(n)d 人，调查对象 %(m)d 人，填写率 %(r)d%%")
            % {"n": results.respondents, "m": results.audience, "r": results.rate}
        ],
    ]
    rows: list[list] = []
    words: list[list] = []
    for i, r in enumerate(results.questions, start=1):
        q = r.question
        title = f"{i}. {q.text}（{q.get_kind_display()}）"
        if r.options:
            for o in r.options:
                rows.append([title, o.label, o.count, o.percent])
            if r.average is not None:
                rows.append([title, _("平均分"), round(r.average, 2), ""])
        elif r.matrix_rows:
            for row_label, cells in r.matrix_rows:
                for o in cells:
                    rows.append([title, f"{row_label} · {o.label}", o.count, o.percent])
        else:
            rows.append([title, _("回答人数"), r.answered, ""])
            for topic, n in r.topics:
                rows.append([title, topic, n, rules.percent(n, r.answered)])
            for word, n in r.words:
                words.append([title, word, n])
    sheets = [
        Sheet(
            _("结果"),
            [Column(_("题目"), width=40), Column(_("选项"), width=30), _("人数"), _("比例（%）")],
            rows,
            heading=heading,
        )
    ]
    texts = [
        [f"{i}. {r.question.text}", text]
        for i, r in enumerate(results.questions, start=1)
        for text in r.texts
    ]
    if texts:
        sheets.append(
            Sheet(_("文字回答"), [Column(_("题目"), width=40), Column(_("回答"), width=60)], texts)
        )
    if words:
        sheets.append(Sheet(_("高频词"), [Column(_("题目"), width=40), _("词"), _("次数")], words))
    return sheets


def _answer_text(question, value) -> str:
    if value in (None, "", [], {}):
        return ""
    options = question.options or []
    if question.kind == rules.SINGLE:
        return options[int(value)]
    if question.kind == rules.MULTIPLE:
        return "、".join(options[int(v)] for v in value)
    if question.kind == rules.RATING and question.scale == rules.SATISFACTION:
        return label(value)
    if question.kind == rules.MATRIX:
        return "；".join(
            f"{question.rows[int(r)]}：{options[int(p)]}" for r, p in dict(value).items()
        )
    return str(value)


def responses_sheet(survey) -> Sheet:
    """A named survey's responses: who, when, and each answer in words."""
    questions = queries.questions_of(survey)
    columns = [
        Column(_("工号"), text=True),
        _("姓名"),
        Column(_("所在组织"), width=24),
        _("填写时间"),
    ] + [Column(f"{i}. {q.text}", width=30) for i, q in enumerate(questions, start=1)]
    rows = (
        [
            r.member.employee_no if r.member else "",
            r.member.name if r.member else "",
            r.member.org_unit.name if r.member else "",
            _when(r.submitted_at),
        ]
        + [_answer_text(q, r.answers.get(q.key)) for q in questions]
        for r in queries.named_responses(survey).iterator()
    )
    return Sheet(_("答卷"), columns, rows, heading=[[survey.title]])
