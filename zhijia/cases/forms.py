"""Forms of module cases: input parsing and field errors only; the rules live in actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.cases.models import Category, Grievance, MediationParty

TEXTAREA = {"rows": 5}


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault(
            "widget", MultipleFileInput(attrs={"accept": "image/*,.pdf,.doc,.docx,.xls,.xlsx,.txt"})
        )
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


def _category_field(**kwargs):
    return forms.ChoiceField(label=_("类别"), choices=Category.choices, **kwargs)


class GrievanceForm(forms.Form):
    """The one short form a worker fills in on the phone."""

    kind = forms.ChoiceField(
        label=_("我要"),
        choices=[
            (Grievance.Kind.GRIEVANCE, _("反映诉求")),
            (Grievance.Kind.LEGAL, _("咨询法律问题")),
        ],
        initial=Grievance.Kind.GRIEVANCE,
        widget=forms.RadioSelect,
    )
    category = _category_field()
    text = forms.CharField(
        label=_("情况说明"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={**TEXTAREA, "placeholder": _("发生了什么、什么时候、希望工会帮您解决什么")}
        ),
    )
    files = MultipleFileField(  # type: ignore[assignment]
        label=_("附件（可选）"), help_text=_("照片、PDF 或 Office 文档，最多 5 个")
    )


class BoxForm(forms.Form):
    """The anonymous box: no file (photos and documents carry device, time and place data)."""

    kind = GrievanceForm.base_fields["kind"]
    category = _category_field()
    org_unit = forms.TypedChoiceField(label=_("反映给"), coerce=int, choices=())
    text = forms.CharField(
        label=_("情况说明"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={**TEXTAREA, "placeholder": _("请只写事情本身，不要写能认出您的细节")}
        ),
    )

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org_unit"].choices = [(u.pk, u.name) for u in units]


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("收据码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
    )


class BoxMessageForm(ReceiptForm):
    text = forms.CharField(
        label=_("补充信息或回答工会的询问"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )


class RateForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("您对办理结果"), choices=Grievance.Rating.choices, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("意见"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不满意时请写明原因；第一次不满意将由上一级工会重新办理"),
    )


class BoxRateForm(ReceiptForm, RateForm):
    pass


class InfoForm(forms.Form):
    text = forms.CharField(
        label=_("补充信息"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    files = MultipleFileField(label=_("附件（可选）"))  # type: ignore[assignment]


class TextForm(forms.Form):
    text = forms.CharField(label=_("内容"), max_length=5000, widget=forms.Textarea(attrs=TEXTAREA))


class NoteForm(forms.Form):
    note = forms.CharField(
        label=_("理由"), required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(NoteForm):
    department = forms.TypedChoiceField(label=_("承办部门"), coerce=int, choices=())

    def __init__(self, *args, departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].choices = [(d.pk, d.name) for d in departments]
        self.fields["note"].help_text = _("改派时必须填写")


class TransferForm(NoteForm):
    unit = forms.TypedChoiceField(label=_("转交给"), coerce=int, choices=())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [(u.pk, u.name) for u in units]


class QueueFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[
            ("open", _("未办结")),
            ("all", _("全部")),
            ("submitted", _("待办理")),
            ("assigned", _("承办中")),
            ("answered", _("已答复")),
            ("closed", _("已办结")),
            ("withdrawn", _("已撤回")),
        ],
    )
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部"))] + list(Category.choices)
    )
    kind = forms.ChoiceField(
        label=_("类型"), required=False, choices=[("", _("全部"))] + list(Grievance.Kind.choices)
    )
    overdue = forms.BooleanField(label=_("只看超期"), required=False)
    mine = forms.BooleanField(label=_("只看本级负责"), required=False)
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)


class KnowledgeForm(forms.Form):
    question = forms.CharField(label=_("问题"), max_length=300)
    answer = forms.CharField(
        label=_("解答"), max_length=10000, widget=forms.Textarea(attrs={"rows": 8})
    )
    category = _category_field()
    legal_basis = forms.CharField(label=_("法律依据"), max_length=300, required=False)
    publish = forms.BooleanField(label=_("发布（所有职工可查）"), required=False, initial=True)


class PublishForm(forms.Form):
    question = forms.CharField(
        label=_("问题（已去除个人信息）"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("请删去姓名、工号、班组、具体日期等可能识别出职工的信息"),
    )
    answer = forms.CharField(
        label=_("解答"), max_length=10000, widget=forms.Textarea(attrs={"rows": 6})
    )
    category = _category_field()
    legal_basis = forms.CharField(label=_("法律依据"), max_length=300, required=False)


class RoutingRuleForm(forms.Form):
    scope = forms.TypedChoiceField(label=_("适用范围（该组织及下级）"), coerce=int, choices=())
    category = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部类别"))] + list(Category.choices)
    )
    target_unit = forms.TypedChoiceField(
        label=_("办理层级"), coerce=int, required=False, empty_value=None, choices=()
    )
    department = forms.TypedChoiceField(
        label=_("承办部门"), coerce=int, required=False, empty_value=None, choices=()
    )
    deadline_workdays = forms.IntegerField(
        label=_("办理时限（工作日）"), required=False, min_value=1, max_value=60
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=200)

    def __init__(self, *args, units=(), departments=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(u.pk, u.name) for u in units]
        self.fields["scope"].choices = choices
        self.fields["target_unit"].choices = [("", _("默认（职工所在分工会）"))] + choices
        self.fields["department"].choices = [("", _("不指定"))] + [
            (d.pk, d.name) for d in departments
        ]


class MediationRequestForm(forms.Form):
    category = forms.ChoiceField(label=_("争议类别"), choices=Category.choices)
    respondent = forms.CharField(
        label=_("被申请人"), max_length=200, help_text=_("一般是用人单位的名称")
    )
    claim = forms.CharField(
        label=_("申请事项和理由"),
        max_length=5000,
        widget=forms.Textarea(
            attrs={**TEXTAREA, "placeholder": _("您要求什么（如补发工资多少元），以及事情经过")}
        ),
    )
    contact = forms.CharField(label=_("联系电话（可选）"), max_length=100, required=False)


class AcceptMediationForm(forms.Form):
    mediator = forms.TypedChoiceField(label=_("调解员"), coerce=int, choices=())
    note = forms.CharField(label=_("备注"), required=False, max_length=1000)

    def __init__(self, *args, mediators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mediator"].choices = [(u.pk, u.get_full_name()) for u in mediators]


class PartyForm(forms.Form):
    side = forms.ChoiceField(label=_("身份"), choices=MediationParty.Side.choices)
    name = forms.CharField(label=_("名称或姓名"), max_length=200)
    representative = forms.CharField(label=_("代表人或代理人"), max_length=100, required=False)
    contact = forms.CharField(label=_("联系方式"), max_length=100, required=False)


class SessionForm(forms.Form):
    held_at = forms.DateTimeField(
        label=_("调解时间"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    place = forms.CharField(label=_("地点"), max_length=200)
    attendees = forms.CharField(label=_("参加人员"), max_length=500)
    minutes = forms.CharField(
        label=_("调解笔录"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8})
    )


class AgreementForm(forms.Form):
    text = forms.CharField(
        label=_("调解协议内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 10})
    )
    performance_deadline = forms.DateField(
        label=_("履行期限"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )
