"""Forms of the proposal and inspection pages. They parse input; the rules are in the actions,
whose ProposalError is put next to the field it names (`form.add_error(error.field, ...)`)."""

from __future__ import annotations

from typing import cast

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from zhijia.congress.models import Proposal
from zhijia.congress.workflows import handling_workdays, rectification_workdays
from zhijia.core import dateranges
from zhijia.core.forms import MultipleFileField
from zhijia.org.models import Department

TEXTAREA = forms.Textarea(attrs={"rows": 4})


class UserChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name()


class OneUserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.get_full_name()


class ProposalForm(forms.Form):
    session: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("会议"), empty_label=None
    )
    title = forms.CharField(label=_("标题"), max_length=200)
    category = forms.ChoiceField(label=_("类别"), choices=Proposal.Category.choices)
    cause = forms.CharField(label=_("案由"), widget=TEXTAREA, help_text=_("提出提案的事实与起因"))
    reasons = forms.CharField(label=_("理由"), widget=TEXTAREA)
    measures = forms.CharField(label=_("建议措施"), widget=TEXTAREA)
    cosigners = UserChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("邀请附议的代表"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    attachments = MultipleFileField(
        label=_("附件"),
        required=False,
        help_text=_("可选：照片、PDF、Word 或 Excel 文件，最多 5 个"),
    )

    def __init__(self, *args, sessions, representatives, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            for name in ("session", "cosigners", "attachments"):
                del self.fields[name]
        else:
            cast(forms.ModelChoiceField, self.fields["session"]).queryset = sessions
            cast(forms.ModelChoiceField, self.fields["cosigners"]).queryset = representatives
            if not representatives.exists():
                self.fields["cosigners"].help_text = _(
                    "目前没有可以邀请的其他代表。提案可以先保存为草稿，有代表附议后才能提交。"
                )


class InviteForm(forms.Form):
    cosigners = UserChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("邀请附议的代表"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, representatives, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["cosigners"]).queryset = representatives


class QueueFilterForm(forms.Form):
    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("状态"), required=False)
    session: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("会议"), required=False
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("path"), label=_("承办部门"), required=False
    )
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *Proposal.Category.choices]
    )
    late = forms.BooleanField(label=_("只看超期"), required=False)
    # The proposer's unit and its subtree (the dashboard's drill-down passes it).
    unit = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def __init__(self, *args, states, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [("", _("全部")), *states]
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = sessions
        # Submitted from / to (the shared ?from=&to=).
        dateranges.add_fields(self)


class DepartmentsMixin(forms.Form):
    lead_department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("path"), label=_("主办部门"), required=False
    )
    co_departments = forms.ModelMultipleChoiceField(
        queryset=Department.objects.order_by("path"),
        label=_("协办部门"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    workdays = forms.IntegerField(
        label=_("办理时限（工作日）"), min_value=1, max_value=250, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workdays"].initial = handling_workdays()


class AcceptForm(DepartmentsMixin):
    note = forms.CharField(label=_("审查意见"), required=False, widget=TEXTAREA)


class AssignForm(DepartmentsMixin):
    note = forms.CharField(label=_("交办说明"), required=False, widget=TEXTAREA)


class ReassignForm(DepartmentsMixin):
    reason = forms.CharField(label=_("改派理由"), widget=TEXTAREA)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("不予立案的理由"),
        widget=TEXTAREA,
        error_messages={"required": _("不予立案必须填写理由")},
    )


class MergeForm(forms.Form):
    into = forms.IntegerField(label=_("并入提案"), widget=forms.HiddenInput)
    note = forms.CharField(label=_("并案说明"), required=False, widget=TEXTAREA)


class AnswerForm(forms.Form):
    summary = forms.CharField(
        label=_("办理结果摘要"),
        max_length=300,
        required=False,
        help_text=_("一两句话概括办理结果，将随办理结果公开"),
    )
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 8}))


class OpinionForm(forms.Form):
    department: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("协办部门"), empty_label=None
    )
    text = forms.CharField(label=_("协办意见"), widget=TEXTAREA)

    def __init__(self, *args, departments, **kwargs):
        super().__init__(*args, **kwargs)
        cast(
            forms.ModelChoiceField, self.fields["department"]
        ).queryset = Department.objects.filter(pk__in=[d.pk for d in departments])


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("对办理结果"), choices=Proposal.Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见"),
        required=False,
        widget=TEXTAREA,
        help_text=_("不满意时请说明原因；首次不满意，提案将退回承办部门重新办理一次"),
    )


class NoteForm(forms.Form):
    note = forms.CharField(label=_("督办意见"), widget=TEXTAREA)


class CarryOverForm(forms.Form):
    session: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("转入会议"), empty_label=None
    )
    note = forms.CharField(label=_("说明"), required=False, widget=TEXTAREA)

    def __init__(self, *args, sessions, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["session"]).queryset = sessions


# --- inspections ---------------------------------------------------------------------------------


class TourForm(forms.Form):
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        queryset=None, label=_("组织单位"), empty_label=None
    )
    title = forms.CharField(label=_("巡视主题"), max_length=200)
    scope = forms.CharField(label=_("巡视范围与内容"), widget=TEXTAREA)
    start_date = forms.DateField(
        label=_("开始日期"), widget=forms.DateInput(attrs={"type": "date"})
    )
    end_date = forms.DateField(label=_("结束日期"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org_unit"]).queryset = units


class ParticipantsForm(forms.Form):
    participants = UserChoiceField(
        queryset=get_user_model().objects.none(),
        label=_("参加巡视的代表"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    leader = OneUserChoiceField(
        queryset=get_user_model().objects.none(), label=_("组长"), required=False
    )

    def __init__(self, *args, representatives, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["participants"]).queryset = representatives
        cast(forms.ModelChoiceField, self.fields["leader"]).queryset = representatives


class FindingForm(forms.Form):
    title = forms.CharField(label=_("问题"), max_length=200)
    description = forms.CharField(label=_("问题描述"), widget=TEXTAREA)
    location = forms.CharField(label=_("地点"), max_length=200, required=False)


class RectificationForm(forms.Form):
    department = forms.ModelChoiceField(
        queryset=Department.objects.order_by("path"), label=_("责任部门")
    )
    requirement = forms.CharField(label=_("整改要求"), widget=TEXTAREA)
    workdays = forms.IntegerField(label=_("整改时限（工作日）"), min_value=1, max_value=250)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["workdays"].initial = rectification_workdays()


class FinishTourForm(forms.Form):
    summary = forms.CharField(label=_("巡视总结"), widget=TEXTAREA)


class ResultForm(forms.Form):
    result = forms.CharField(label=_("整改结果"), widget=TEXTAREA)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("理由"), widget=TEXTAREA)
