"""Forms of the participation channels' pages (领导接待日, 职工代表听证). They parse input;
the rules are in the actions, whose ChannelError is put next to the field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.congress.models import Deliberation
from zhijia.core.forms import MultipleFileField
from zhijia.org.models import Department, Member, OrgUnit

TEXTAREA = forms.Textarea(attrs={"rows": 3})
DATE = forms.DateInput(attrs={"type": "date"})
TIME = forms.TimeInput(attrs={"type": "time"})


class _UnitForm(forms.Form):
    unit = forms.ModelChoiceField(queryset=OrgUnit.objects.none(), label=_("组织单位"))

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["unit"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = units if units is not None else OrgUnit.objects.none()


class DayForm(_UnitForm):
    leader = forms.CharField(label=_("接待领导"), max_length=64)
    leader_title = forms.CharField(label=_("职务"), max_length=64)
    date = forms.DateField(label=_("接待日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=128)
    note = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False)


class DayEditForm(forms.Form):
    """A day's details corrected before it comes (its unit stays)."""

    leader = forms.CharField(label=_("接待领导"), max_length=64)
    leader_title = forms.CharField(label=_("职务"), max_length=64)
    date = forms.DateField(label=_("接待日期"), widget=DATE)
    place = forms.CharField(label=_("地点"), max_length=128)
    note = forms.CharField(label=_("说明"), widget=TEXTAREA, required=False)


class CancelDayForm(forms.Form):
    reason = forms.CharField(label=_("取消原因"), widget=TEXTAREA, max_length=500)


class SlotForm(forms.Form):
    starts_at = forms.TimeField(label=_("开始时间"), widget=TIME)
    ends_at = forms.TimeField(label=_("结束时间"), widget=TIME)
    place = forms.CharField(label=_("地点（不同于接待日时填写）"), max_length=128, required=False)


class BookingForm(forms.Form):
    topic = forms.CharField(label=_("反映事项"), widget=TEXTAREA, max_length=2000)


class OutcomeForm(forms.Form):
    outcome = forms.CharField(label=_("接待结果"), widget=TEXTAREA)
    action_needed = forms.CharField(
        label=_("需要办理的事项（转为跟踪事项）"), max_length=200, required=False
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.filter(closed_at__isnull=True).order_by("path"),
        label=_("责任部门"),
        required=False,
    )


class ItemResultForm(forms.Form):
    """The `complete` step of workflow congress.reception_item."""

    result = forms.CharField(label=_("办理结果"), widget=TEXTAREA)


class HearingForm(_UnitForm):
    title = forms.CharField(label=_("听证事项"), max_length=200)
    draft = forms.CharField(label=_("草案内容"), widget=forms.Textarea(attrs={"rows": 8}))
    opens_on = forms.DateField(label=_("开始日期"), widget=DATE)
    closes_on = forms.DateField(label=_("截止日期"), widget=DATE)
    attachment = MultipleFileField(label=_("草案附件（可选）"), required=False)


class HearingEditForm(forms.Form):
    """An open hearing's draft corrected while nobody has commented."""

    title = forms.CharField(label=_("听证事项"), max_length=200)
    draft = forms.CharField(label=_("草案内容"), widget=forms.Textarea(attrs={"rows": 8}))
    opens_on = forms.DateField(label=_("开始日期"), widget=DATE)
    closes_on = forms.DateField(label=_("截止日期"), widget=DATE)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("我的意见"), widget=TEXTAREA, max_length=4000)


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("答复"), widget=TEXTAREA, max_length=4000)


class MeetingForm(_UnitForm):
    kind = forms.ChoiceField(label=_("类别"), choices=Deliberation.Kind.choices)
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    agenda = forms.CharField(label=_("议题"), widget=TEXTAREA, max_length=4000)
    participants = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(), label=_("参加人员"), required=False
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["participants"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members if members is not None else Member.objects.none()


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("会议纪要"), widget=forms.Textarea(attrs={"rows": 6}))
    decisions = forms.CharField(
        label=_("需要办理的决定事项（每行一项，转为跟踪事项）"), widget=TEXTAREA, required=False
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.filter(closed_at__isnull=True).order_by("path"),
        label=_("责任部门"),
        required=False,
    )

    def clean(self):
        data = super().clean() or {}
        lines = [x.strip() for x in (data.get("decisions") or "").splitlines() if x.strip()]
        if lines and data.get("department") is None:
            self.add_error("department", _("请选择责任部门"))
        data["decisions"] = [(line, data.get("department")) for line in lines]
        data.pop("department", None)
        return data


class SitInForm(_UnitForm):
    title = forms.CharField(label=_("会议名称"), max_length=200)
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    body = forms.CharField(label=_("召集机构"), max_length=100)
    representatives = forms.ModelMultipleChoiceField(
        queryset=Member.objects.none(), label=_("列席的职工代表")
    )

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["representatives"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = members if members is not None else Member.objects.none()


class SitInReportForm(forms.Form):
    report = forms.CharField(label=_("列席报告"), widget=TEXTAREA, max_length=4000)
