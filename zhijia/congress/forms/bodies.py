"""Forms of the congress bodies' pages (working groups, duty reports, supervisors). They parse
input; the rules are in actions.bodies, whose BodiesError is put next to the field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.congress.models import WorkingGroup
from zhijia.core.satisfaction import Satisfaction

TEXTAREA = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"})


class GroupForm(forms.Form):
    term = forms.ChoiceField(label=_("届次"), choices=())
    kind = forms.ChoiceField(label=_("类别"), choices=WorkingGroup.Kind.choices)
    name = forms.CharField(label=_("名称"), max_length=100)
    duties = forms.CharField(label=_("职责"), widget=TEXTAREA, required=False)

    def __init__(self, *args, terms=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["term"].choices = [(t.pk, str(t)) for t in terms]  # type: ignore[attr-defined]


class GroupMemberForm(forms.Form):
    representative = forms.ChoiceField(label=_("职工代表"), choices=())

    def __init__(self, *args, representatives=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["representative"].choices = [  # type: ignore[attr-defined]
            (r.pk, f"{r.member.name}（{r.unit}）") for r in representatives
        ]


class TaskForm(forms.Form):
    title = forms.CharField(label=_("任务"), max_length=200)
    due_date = forms.DateField(label=_("完成期限"), widget=DATE)


class MinutesForm(forms.Form):
    held_on = forms.DateField(label=_("会议日期"), widget=DATE)
    title = forms.CharField(label=_("会议主题"), max_length=200)
    text = forms.CharField(label=_("纪要"), widget=TEXTAREA)


class DutyReportForm(forms.Form):
    text = forms.CharField(label=_("述职报告"), widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("附件（可选）"), required=False)


class DutyRatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("满意度"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(label=_("意见"), max_length=500, required=False, widget=TEXTAREA)


class AppointmentForm(forms.Form):
    unit = forms.ChoiceField(label=_("监督单位"), choices=())
    employee_no = forms.CharField(label=_("会员工号"), max_length=32)
    starts_on = forms.DateField(label=_("任期开始"), widget=DATE)
    ends_on = forms.DateField(label=_("任期结束"), widget=DATE)

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.path_label()) for u in units]  # type: ignore[attr-defined]


class ObservationForm(forms.Form):
    subject = forms.CharField(label=_("事项"), max_length=200)
    text = forms.CharField(label=_("情况"), widget=TEXTAREA)
    place = forms.CharField(label=_("地点"), max_length=200, required=False)
    observed_on = forms.DateField(label=_("发现日期"), widget=DATE)


class AnswerForm(forms.Form):
    """The `answer` step of workflow congress.observation."""

    answer = forms.CharField(label=_("答复"), widget=TEXTAREA)
