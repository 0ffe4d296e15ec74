"""Forms of module disclosure: input parsing and field errors only; rules live in actions."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.core import dateranges
from zhijia.core.forms import MultipleFileField
from zhijia.disclosure.models import Level

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _unit_label(unit) -> str:
    return "\u3000" * getattr(unit, "depth", 0) + unit.name


class _ContentFields(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=200)
    body = forms.CharField(
        label=_("正文"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_(
            "纯文本，换行保留；“# ”开头为小标题，“- ”开头为列表，**文字** 加粗。不支持 HTML。"
        ),
    )
    table_text = forms.CharField(
        label=_("表格"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8, "class": "mono", "spellcheck": "false"}),
        help_text=_("从 Excel 复制粘贴，或每行一条、用逗号分隔；第一行为表头。"),
    )
    valid_from = forms.DateField(label=_("公开起始日"), required=False, widget=DATE)
    valid_until = forms.DateField(
        label=_("公开截止日"),
        required=False,
        widget=DATE,
        help_text=_("留空表示长期公开；到期后移入往期公开"),
    )
    uploads = MultipleFileField(
        label=_("附件"), help_text=_("图片、PDF、Word、Excel、文本，可多选")
    )


class PublishForm(_ContentFields):
    unit = forms.TypedChoiceField(label=_("公开单位"), coerce=int)
    entry = forms.TypedChoiceField(
        label=_("目录事项"), coerce=int, required=False, empty_value=None
    )
    period_key = forms.CharField(
        label=_("所属期间"),
        required=False,
        max_length=16,
        help_text=_(
            "按月如 2026-10，按季如 2026-Q3，半年如 2026-H1，按年如 2026；逐事公开的事项不填"
        ),
    )
    audience_unit = forms.TypedChoiceField(
        label=_("公开范围"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("本单位及其下级单位的会员可以看到；留空为整个公开单位"),
    )

    field_order = [
        "unit",
        "entry",
        "period_key",
        "audience_unit",
        "title",
        "body",
        "table_text",
        "valid_from",
        "valid_until",
        "uploads",
    ]

    def __init__(self, *args, units, entries, audiences, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [
            (u.pk, _unit_label(u)) for u in units
        ]
        cast(forms.ChoiceField, self.fields["entry"]).choices = [("", _("（目录外事项）"))] + [
            (e.pk, f"{e.get_level_display()} · {e.title} · {e.get_cadence_display()}")
            for e in entries
        ]
        cast(forms.ChoiceField, self.fields["audience_unit"]).choices = [
            ("", _("整个公开单位"))
        ] + [(u.pk, _unit_label(u)) for u in audiences]


class ReviseForm(_ContentFields):
    reason = forms.CharField(
        label=_("修订说明"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("说明改了什么、为什么改；读者会看到它和修改前后的对比"),
    )
    remove = forms.MultipleChoiceField(
        label=_("移除附件"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("移除的附件在历史版本中仍可查看"),
    )

    def __init__(self, *args, current_files=(), **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["remove"]).choices = [
            (str(a.pk), a.original_name) for a in current_files
        ]
        if not current_files:
            del self.fields["remove"]


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("撤回原因"), max_length=200)


class BoardFilterForm(forms.Form):
    past = forms.BooleanField(label=_("往期公开"), required=False)
    unread = forms.BooleanField(label=_("只看未读"), required=False)
    level = forms.ChoiceField(
        label=_("层级"), required=False, choices=[("", _("全部"))] + list(Level.choices)
    )
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)


class UnitFilterForm(forms.Form):
    unit = forms.TypedChoiceField(label=_("单位"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["unit"]).choices = [("", _("全部"))] + [
            (u.pk, _unit_label(u)) for u in units
        ]


class ItemFilterForm(UnitFilterForm):
    status = forms.ChoiceField(
        label=_("状态"),
        required=False,
        choices=[("", _("全部")), ("published", _("已公开")), ("withdrawn", _("已撤回"))],
    )
    q = forms.CharField(label=_("搜索"), required=False, max_length=50)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Published from / to (the shared ?from=&to=; the dashboard's drill-down passes them).
        dateranges.add_fields(self, _("发布日期自"), _("发布日期至"))
