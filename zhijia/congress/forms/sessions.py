"""Forms of the congress pages: terms, sessions, representatives, agenda, check-in, elections.

Forms only parse and check the shape of input; the rules (term length, composition, quorum,
who may be a candidate) are applied by the actions, whose errors the views put next to the
fields."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.congress.models import AgendaItem, RepElection, Representative


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TermForm(forms.Form):
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("工会委员会"), queryset=None, empty_label=None
    )
    number = forms.IntegerField(
        label=_("届次"), min_value=1, required=False, help_text=_("留空则自动取下一届")
    )
    start_date = forms.DateField(label=_("开始日期"), widget=DateInput())
    end_date = forms.DateField(
        label=_("结束日期"), widget=DateInput(), help_text=_("每届任期 3 至 5 年")
    )
    workforce_total = forms.IntegerField(
        label=_("职工总数"),
        min_value=0,
        required=False,
        help_text=_("留空则按本组织及下级在册会员计算"),
    )
    workforce_women = forms.IntegerField(label=_("其中女职工"), min_value=0, required=False)
    workforce_dispatched = forms.IntegerField(
        label=_("其中劳务派遣职工"), min_value=0, required=False
    )

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        if units is None:
            del self.fields["unit"]
            del self.fields["number"]
        else:
            cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class SessionForm(forms.Form):
    date = forms.DateField(label=_("会议日期"), widget=DateInput())
    place = forms.CharField(label=_("会议地点"), max_length=200, required=False)
    title = forms.CharField(
        label=_("会议名称"),
        max_length=200,
        required=False,
        help_text=_("留空则为“第N届职工代表大会第M次会议”"),
    )
    notify_representatives = forms.BooleanField(
        label=_("通知全体代表"), required=False, initial=True
    )


class RepresentativeForm(forms.Form):
    employee_no = forms.CharField(label=_("工号"), max_length=32)
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("选举单位"),
        queryset=None,
        required=False,
        help_text=_("留空则为该会员所在的工会组织"),
    )
    kind = forms.ChoiceField(
        label=_("代表类别"), choices=Representative.Kind.choices, initial="voting"
    )
    is_manager = forms.BooleanField(label=_("中层及以上管理人员"), required=False)
    is_frontline = forms.BooleanField(label=_("一线职工"), required=False)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class RepresentativeEditForm(forms.Form):
    kind = forms.ChoiceField(label=_("代表类别"), choices=Representative.Kind.choices)
    is_manager = forms.BooleanField(label=_("中层及以上管理人员"), required=False)
    is_frontline = forms.BooleanField(label=_("一线职工"), required=False)


class EndRepresentativeForm(forms.Form):
    reason = forms.CharField(
        label=_("资格终止原因"),
        max_length=200,
        help_text=_("如：调离本选举单位、解除劳动关系、被依法罢免"),
    )


class ItemForm(forms.Form):
    title = forms.CharField(label=_("议题"), max_length=200)
    kind = forms.ChoiceField(label=_("类型"), choices=AgendaItem.Kind.choices, initial="motion")
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    candidates = forms.CharField(
        label=_("候选人或选项（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("仅选举类议题填写"),
    )
    seats = forms.IntegerField(label=_("应选人数"), min_value=1, initial=1, required=False)
    is_paper = forms.BooleanField(label=_("纸质（现场）表决，会后录入票数"), required=False)

    def candidate_list(self) -> list[str]:
        text = self.cleaned_data.get("candidates") or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class RepresentativeChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.member.name}（{obj.member.employee_no} · {obj.unit}）"


class RepresentativesChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.member.name}（{obj.member.employee_no} · {obj.unit}）"


class ScrutineerForm(forms.Form):
    """The chief scrutineer and the scrutineers the session passed (3 to 5 in all)."""

    chief_id: forms.ModelChoiceField = RepresentativeChoice(
        label=_("总监票人"), queryset=None, empty_label=_("请选择")
    )
    other_ids: forms.ModelMultipleChoiceField = RepresentativesChoice(
        label=_("监票人"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("与总监票人合计 3 到 5 人，须是本届代表且有可以登录的账号"),
    )
    decrypt_quorum = forms.IntegerField(
        label=_("解密所需人数"),
        min_value=2,
        max_value=5,
        required=False,
        help_text=_("闭票后须有这么多位监票人用各自的密钥共同解密票数；留空则为过半数"),
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["chief_id"]).queryset = choices
        cast(forms.ModelMultipleChoiceField, self.fields["other_ids"]).queryset = choices


class CheckinCodeForm(forms.Form):
    code = forms.CharField(
        label=_("签到码"),
        max_length=300,
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "off", "spellcheck": "false"}
        ),
        help_text=_("用扫码枪或手机扫描代表的个人签到二维码，签到码会自动填入"),
    )


class ElectionForm(forms.Form):
    term: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("届次"), queryset=None, empty_label=None
    )
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("选举单位"), queryset=None, empty_label=None
    )
    seats = forms.IntegerField(label=_("应选代表名额"), min_value=1)
    competitive = forms.BooleanField(
        label=_("差额选举（候选人多于应选名额）"), required=False, initial=True
    )
    is_paper = forms.BooleanField(label=_("纸质（现场）投票，会后录入票数"), required=False)
    base = forms.ChoiceField(
        label=_("选民基数（当选须得票超过其半数）"),
        choices=RepElection.Base.choices,
        initial=RepElection.Base.MEMBERS,
        widget=forms.RadioSelect,
    )
    present_count = forms.IntegerField(
        label=_("出席选举大会的会员人数"),
        min_value=1,
        required=False,
        help_text=_("选“出席选举大会的会员”时填写，也可以在开始投票时填写；不超过在册会员人数"),
    )

    def __init__(self, *args, terms, units, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["term"]).queryset = terms
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units


class ElectionOpenForm(forms.Form):
    present_count = forms.IntegerField(
        label=_("出席选举大会的会员人数"),
        min_value=1,
        required=False,
        help_text=_("按出席人数计算选民基数时填写；不超过在册会员人数"),
    )


class NominateForm(forms.Form):
    employee_no = forms.CharField(label=_("候选人工号"), max_length=32)
    statement = forms.CharField(
        label=_("简介或竞选陈述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_manager = forms.BooleanField(label=_("中层及以上管理人员"), required=False)
    is_frontline = forms.BooleanField(label=_("一线职工"), required=False)


class SelfNominateForm(forms.Form):
    statement = forms.CharField(
        label=_("竞选陈述"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("说明您为什么参选、将为职工做些什么（不超过 2000 字）"),
    )
    is_frontline = forms.BooleanField(label=_("我是一线职工"), required=False)
