"""Forms of notices: input parsing and field errors only; rules live in actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.core.forms import MultipleFileField
from zhijia.notices.models import Notice


def _unit_label(unit) -> str:
    return "\u3000" * getattr(unit, "depth", 0) + unit.name


BODY_HELP = _(
    "可粘贴排版好的内容：段落、加粗、列表、小标题、链接、引用和表格会保留，"
    "脚本、样式和其他标签会被去除；纯文本按空行分段。"
)


class NoticeForm(forms.Form):
    org_unit = forms.TypedChoiceField(label=_("发布单位"), coerce=int)
    kind = forms.ChoiceField(label=_("类别"), choices=Notice.Kind.choices)
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"), widget=forms.Textarea(attrs={"rows": 12}), help_text=BODY_HELP
    )
    audience_units = forms.TypedMultipleChoiceField(
        label=_("发送范围"),
        coerce=int,
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("可多选；选中的单位包含其全部下级；不选即发布单位全体会员"),
    )
    pinned = forms.BooleanField(label=_("置顶"), required=False)
    must_read = forms.BooleanField(
        label=_("必读"), required=False, help_text=_("必读通知会统计阅读情况，可提醒未读人员")
    )
    uploads = MultipleFileField(
        label=_("附件"), help_text=_("图片、PDF、Word、Excel、文本，可多选")
    )

    def __init__(self, *args, units=(), audience=(), editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        unit_field = self.fields["org_unit"]
        assert isinstance(unit_field, forms.TypedChoiceField)
        unit_field.choices = [(u.pk, _unit_label(u)) for u in units]
        audience_field = self.fields["audience_units"]
        assert isinstance(audience_field, forms.TypedMultipleChoiceField)
        audience_field.choices = [(u.pk, _unit_label(u)) for u in audience]
        if editing:
            unit_field.disabled = True
            unit_field.required = False


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)


class ListFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *Notice.Kind.choices]
    )


class ManageFilterForm(forms.Form):
    q = forms.CharField(label=_("关键词"), required=False, max_length=50)
    kind = forms.ChoiceField(
        label=_("类别"), required=False, choices=[("", _("全部")), *Notice.Kind.choices]
    )
    state = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, states=(), **kwargs):
        super().__init__(*args, **kwargs)
        state_field = self.fields["state"]
        assert isinstance(state_field, forms.ChoiceField)
        state_field.choices = [("", _("全部")), *states]
