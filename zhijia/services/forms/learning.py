"""Forms of the learning pages: input parsing only; the rules live in
zhijia.services.actions.learning and learning_tests."""

from __future__ import annotations

import datetime as dt
from typing import cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from zhijia.services.models import LearningCourse, LearningPlan

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}
_INT = {
    "required": _("请填写此项"),
    "invalid": _("请填写整数"),
    "min_value": _("不能小于 %(limit_value)s"),
    "max_value": _("不能大于 %(limit_value)s"),
}


def _units(form, units) -> None:
    from zhijia.org.models import OrgUnit

    units = list(units)
    field = cast(forms.ModelChoiceField, form.fields["org_unit"])
    field.queryset = OrgUnit.objects.filter(pk__in=[u.pk for u in units])
    field.choices = [("", "---------")] + [
        (u.pk, "　" * getattr(u, "depth", 0) + u.name) for u in units
    ]


class CourseForm(forms.Form):
    title = forms.CharField(label=_("课程名称"), max_length=100, error_messages=_MSG)
    kind = forms.ChoiceField(label=_("形式"), choices=LearningCourse.Kind.choices)
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("主办单位"),
        queryset=None,
        error_messages={"required": _("请选择主办单位")},
        help_text=_("课程面向该单位及其下级单位的全体会员"),
    )
    hours = forms.DecimalField(
        label=_("学时"), max_digits=4, decimal_places=1, min_value=0.1, error_messages=_INT
    )
    description = forms.CharField(
        label=_("课程简介"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    material = forms.CharField(
        label=_("学习资料（正文）"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=_("线上课程的学习内容；PDF 等文件可在课程页上传"),
    )
    test_questions = forms.IntegerField(
        label=_("每次抽题数"),
        min_value=0,
        max_value=100,
        initial=0,
        error_messages=_INT,
        help_text=_("0 表示不设在线测试"),
    )
    test_minutes = forms.IntegerField(
        label=_("答题时限（分钟）"), min_value=1, max_value=300, initial=30, error_messages=_INT
    )
    test_attempts = forms.IntegerField(
        label=_("允许次数"), min_value=1, max_value=20, initial=3, error_messages=_INT
    )
    pass_mark = forms.IntegerField(
        label=_("及格分（百分制）"), min_value=1, max_value=100, initial=60, error_messages=_INT
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _units(self, units)


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=_DT, error_messages=_MSG)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=_DT, error_messages=_MSG)
    place = forms.CharField(label=_("地点"), max_length=200, error_messages=_MSG)
    capacity = forms.IntegerField(
        label=_("容纳人数"), min_value=1, max_value=1000, error_messages=_INT
    )


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=_("学习资料文件"),
        help_text=_("PDF 或文本文件（最大 50 MB），MP4 视频（最大 500 MB）"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.txt,.mp4"}),
        error_messages={"required": _("请选择文件")},
    )


class QuestionImportForm(forms.Form):
    file = forms.FileField(
        label=_("题库 Excel 文件"),
        help_text=_("请使用下载的模板；任何一行有误都不会导入"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("请选择文件")},
    )


class AssignForm(forms.Form):
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("指派给单位（含下级单位）"), queryset=None, required=False
    )
    employee_nos = forms.CharField(
        label=_("或指派给这些工号"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=5000,
        help_text=_("每行或用逗号分隔一个工号"),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _units(self, units)

    def clean(self):
        data = super().clean() or {}
        nos = [
            n.strip()
            for n in (data.get("employee_nos") or "")
            .replace("，", ",")
            .replace("\n", ",")
            .split(",")
            if n.strip()
        ]
        data["employee_no_list"] = nos
        if data.get("org_unit") is None and not nos:
            raise forms.ValidationError(_("请选择单位或填写工号"))
        return data


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{timezone.localtime(obj.starts_at):%m-%d %H:%M} {obj.place}"


class EnrolForm(forms.Form):
    session: forms.ModelChoiceField = SessionChoiceField(
        label=_("课堂"), queryset=None, required=False, empty_label=None
    )

    def __init__(self, *args, sessions=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = cast(forms.ModelChoiceField, self.fields["session"])
        field.queryset = sessions


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("签到码"),
        max_length=500,
        error_messages={"required": _("请扫码或粘贴职工的签到码")},
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("撤销原因"), max_length=200, error_messages={"required": _("请填写撤销原因")}
    )


class PlanForm(forms.Form):
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("单位"), queryset=None, error_messages={"required": _("请选择单位")}
    )
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100, error_messages=_INT)
    title = forms.CharField(label=_("计划名称"), max_length=100, error_messages=_MSG)
    audience = forms.ChoiceField(label=_("培训对象"), choices=LearningPlan.Audience.choices)
    hours_target = forms.DecimalField(
        label=_("每人目标学时"),
        max_digits=5,
        decimal_places=1,
        min_value=0.1,
        error_messages=_INT,
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        _units(self, units)
        self.fields["year"].initial = timezone.localdate().year


def default_session_start() -> dt.datetime:
    return timezone.localtime(timezone.now() + dt.timedelta(days=7)).replace(
        minute=0, second=0, microsecond=0
    )
