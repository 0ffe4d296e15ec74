"""Forms of module cases: input parsing and field errors only; the rules live in actions."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.cases.models import Category, Grievance
from zhijia.core import dateranges
from zhijia.core.forms import MultipleFileField

TEXTAREA = {"rows": 5}
ACCEPT = "image/*,.pdf,.doc,.docx,.xls,.xlsx,.txt"


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
        label=_("附件（可选）"), help_text=_("照片、PDF 或 Office 文档，最多 5 个"), accept=ACCEPT
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


class InfoForm(forms.Form):
    text = forms.CharField(
        label=_("补充信息"), max_length=2000, widget=forms.Textarea(attrs=TEXTAREA)
    )
    files = MultipleFileField(label=_("附件（可选）"), accept=ACCEPT)  # type: ignore[assignment]


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
        cast(forms.ChoiceField, self.fields["department"]).choices = [
            (d.pk, d.name) for d in departments
        ]
        self.fields["note"].help_text = _("改派时必须填写")


class TransferForm(NoteForm):
    unit = forms.TypedChoiceField(label=_("转交给"), coerce=int, choices=())

    def __init__(self, *args, units=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [(u.pk, u.name) for u in units]


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
    escalated = forms.BooleanField(label=_("只看升级的"), required=False)
    anonymous = forms.ChoiceField(
        label=_("来源"),
        required=False,
        choices=[("", _("全部")), ("named", _("实名提出")), ("box", _("匿名信箱"))],
    )
    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    # The worker's union unit and its subtree (the dashboard's drill-down passes it).
    unit = forms.IntegerField(
        required=False, min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Received from / to (the shared ?from=&to=; the dashboard's drill-down passes them).
        dateranges.add_fields(self)

    def anonymous_filter(self) -> bool | None:
        """The source filter as QueueFilters.anonymous (call after is_valid)."""
        return {"named": False, "box": True}.get(self.cleaned_data.get("anonymous") or "")
