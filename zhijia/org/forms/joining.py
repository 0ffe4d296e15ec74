"""Forms of online joining: they parse input; the actions check and decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.org.models import Member
from zhijia.org.queries import joining as queries


class JoinForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=64)
    id_number = forms.CharField(
        label=_("身份证号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
        help_text=_("18位居民身份证号码，末位可以是X"),
    )
    phone = forms.CharField(
        label=_("手机号"),
        max_length=32,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("批准入会后，账号激活验证码将发送到这个号码"),
    )
    org_unit = forms.ChoiceField(label=_("申请加入的分工会"))
    department = forms.ChoiceField(label=_("所在部门"), required=False)
    employment_type = forms.ChoiceField(
        label=_("用工性质"), choices=Member.EmploymentType.choices, widget=forms.RadioSelect
    )
    pledge = forms.BooleanField(
        label=_(
            "本人自愿申请加入工会，承认《中国工会章程》，遵守工会的决议，按期缴纳会费，参加工会活动。"
        ),
        required=False,
    )
    statement = forms.CharField(
        label=_("入会申请（选填）"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("可以写下您希望工会为职工做些什么"),
    )
    consent = forms.BooleanField(
        label=_(
            "我已阅读上面的《个人信息处理说明》，同意工会按说明处理我的个人信息（含身份证号）。"
        ),
        required=False,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.units = queries.join_units()
        self.departments = queries.join_departments()
        unit_choices = [("", _("请选择"))]
        for unit in self.units:
            unit_choices.append((str(unit.pk), "\u3000" * max(0, unit.depth - 1) + unit.name))  # type: ignore[attr-defined]
        self.fields["org_unit"].choices = unit_choices  # type: ignore[attr-defined]
        self.fields["department"].choices = [("", _("（不填）"))] + [  # type: ignore[attr-defined]
            (str(d.pk), d.name) for d in self.departments
        ]

    def action_fields(self) -> dict:
        """The fields as do_submit_join_application takes them."""
        data = self.cleaned_data
        return {
            "name": data["name"],
            "id_number": data["id_number"],
            "phone": data["phone"],
            "org_unit": queries.join_unit(data["org_unit"]),
            "department": queries.join_department(data.get("department")),
            "employment_type": data["employment_type"],
            "statement": data.get("statement", ""),
            "pledge": bool(data.get("pledge")),
            "consent": bool(data.get("consent")),
        }


class StatusForm(forms.Form):
    code = forms.CharField(
        label=_("回执码"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "placeholder": "XXXX-XXXX-XXXX-XXXX"}),
    )
    phone_last4 = forms.CharField(
        label=_("手机号后4位"),
        max_length=8,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ApproveForm(forms.Form):
    employee_no = forms.CharField(
        label=_("工号"), max_length=64, help_text=_("企业为该职工编的工号，不能与现有会员重复")
    )
    join_date = forms.DateField(
        label=_("入会日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("不填则为今天"),
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("不予批准的理由"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("申请人查询进度时会看到这段理由"),
    )


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("submitted", _("待审核")),
            ("overdue", _("已超期")),
            ("approved", _("已批准")),
            ("refused", _("未予批准")),
            ("all", _("全部")),
        ],
    )

    def state_value(self) -> str:
        if self.is_valid() and self.cleaned_data.get("state") in queries.STATE_FILTERS:
            return self.cleaned_data["state"]
        return queries.PENDING
