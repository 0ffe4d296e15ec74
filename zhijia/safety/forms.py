"""Forms of the safety pages: input parsing only; the rules live in actions.py."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.safety.models import HazardReport

_REQ = {"required": _("请填写此项")}


class PhotoInput(forms.ClearableFileInput):
    """On a phone this opens the camera (the rear one) straight away."""

    def __init__(self, attrs=None):
        super().__init__({"accept": "image/*", "capture": "environment", **(attrs or {})})


class ReportForm(forms.Form):
    photo = forms.FileField(
        label=_("拍照"),
        required=False,
        widget=PhotoInput,
        help_text=_("对准隐患拍一张照片（JPEG/PNG，10 MB 以内）"),
    )
    place = forms.CharField(
        label=_("地点"),
        max_length=200,
        error_messages=_REQ,
        widget=forms.TextInput(attrs={"placeholder": _("如：二号车间东门配电箱")}),
    )
    description = forms.CharField(
        label=_("隐患描述"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=_REQ,
    )
    category = forms.ChoiceField(
        label=_("类别"),
        choices=HazardReport.Category.choices,
        error_messages={"required": _("请选择隐患类别")},
    )
    level = forms.ChoiceField(
        label=_("等级"),
        choices=HazardReport.Level.choices,
        initial=HazardReport.Level.GENERAL,
        widget=forms.RadioSelect,
        help_text=_("可能造成重大事故、需要停产整改的选“重大隐患”"),
    )
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("所在单位"),
        queryset=None,
        error_messages={"required": _("请选择所在单位"), "invalid_choice": _("请选择所在单位")},
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org_unit"]).queryset = units


class UserChoiceField(forms.ModelChoiceField):
    """A user, shown by full name."""

    def label_from_instance(self, obj) -> str:
        return obj.get_full_name()


class AssignForm(forms.Form):
    department: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("整改责任部门"), queryset=None, required=False
    )
    owner: forms.ModelChoiceField = UserChoiceField(
        label=_("或：整改责任人（工会干部）"), queryset=None, required=False
    )
    workdays = forms.IntegerField(
        label=_("整改期限（工作日）"),
        min_value=1,
        max_value=250,
        error_messages={"required": _("请填写整改期限"), "invalid": _("请填写整数")},
    )
    requirement = forms.CharField(
        label=_("整改要求"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reason = forms.CharField(label=_("改派理由"), required=False, max_length=500)

    def __init__(self, *args, departments, owners, reassign=False, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["department"]).queryset = departments
        cast(forms.ModelChoiceField, self.fields["owner"]).queryset = owners
        if not reassign:
            del self.fields["reason"]
        else:
            self.fields["reason"].required = True
            self.fields["reason"].error_messages["required"] = _("请填写改派理由")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=500, error_messages={"required": _("请填写理由")}
    )


class FixForm(forms.Form):
    result = forms.CharField(
        label=_("整改结果"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("请填写整改结果")},
    )
    photo = forms.FileField(label=_("整改后照片"), required=False, widget=PhotoInput)


class VerifyForm(forms.Form):
    note = forms.CharField(label=_("验收意见（选填）"), max_length=500, required=False)


class SupervisorForm(forms.Form):
    org_unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("监督范围"), queryset=None, error_messages={"required": _("请选择监督范围")}
    )
    employee_no = forms.CharField(
        label=_("会员工号"), max_length=32, error_messages={"required": _("请填写工号")}
    )
    note = forms.CharField(label=_("备注"), max_length=200, required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["org_unit"]).queryset = units
