"""Forms of the dues pages (会费): a unit and month, the arrears filter, the collection modes
and the payroll deduction upload."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.org import rules
from zhijia.org.actions import dues_import as importer
from zhijia.org.forms.members import UnitChoiceMixin, UnitPeriodForm, _set_choices, _unit_choices
from zhijia.org.models import DuesMode, OrgUnit


class DuesMonthForm(UnitChoiceMixin, forms.Form):
    unit = forms.ChoiceField(label=gettext_lazy("工会"))
    month = forms.CharField(
        label=gettext_lazy("月份"),
        max_length=10,
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, data=None, *, units: list[OrgUnit]):
        today = timezone.localdate()
        initial = {"month": today.strftime("%Y-%m"), "unit": str(units[0].pk) if units else ""}
        super().__init__(data, initial=initial)
        self.units = units
        _set_choices(self.fields["unit"], _unit_choices(units, None))

    def clean_month(self) -> dt.date:
        value = rules.parse_month(self.cleaned_data["month"])
        if value is None:
            raise forms.ValidationError(_("月份格式应为 2024-03"))
        return value

    def unit_obj(self) -> OrgUnit:
        unit = self._pick(self.units, self.cleaned_data.get("unit"))
        assert unit is not None, "a required choice among self.units"
        return unit


class ArrearsFilterForm(UnitPeriodForm):
    """Arrears: a unit, how the dues are collected and the dues months from / to (the shared
    ?from=&to=; the dashboard's drill-down)."""

    mode = forms.ChoiceField(
        label=gettext_lazy("收缴方式"),
        required=False,
        choices=[
            ("", gettext_lazy("全部")),
            (rules.SELF_PAY, gettext_lazy("自缴欠缴")),
            (rules.PAYROLL, gettext_lazy("代扣未到账")),
        ],
    )
    period_labels = (gettext_lazy("欠缴月份自"), gettext_lazy("欠缴月份至"))

    def mode_value(self) -> str:
        self.is_valid()
        return getattr(self, "cleaned_data", {}).get("mode") or ""


class DuesPaidFilterForm(UnitPeriodForm):
    """The payments list: a unit and the days of payment (?from=&to=, the dashboard's
    drill-down)."""

    period_labels = (gettext_lazy("缴纳日期自"), gettext_lazy("缴纳日期至"))


def _mode_label(mode: str) -> str:
    return str(dict(DuesMode.choices).get(mode, mode))


class UnitDuesModeForm(forms.Form):
    """How a unit's members pay their dues, and where self-payers pay."""

    dues_mode = forms.ChoiceField(label=gettext_lazy("会费收缴方式"), required=False)
    dues_payment_note = forms.CharField(
        label=gettext_lazy("缴纳说明"),
        required=False,
        max_length=rules.PAYMENT_NOTE_MAX,
        help_text=gettext_lazy(
            "自缴会员向谁、在哪里缴纳，如“请每月10日前向分工会财务（办公楼302）缴纳”；"
            "显示在会员首页和会费台账上。留空时沿用上级工会的说明。"
        ),
    )

    def __init__(self, data=None, *, inherited_mode: str, top: bool, initial=None):
        super().__init__(data, initial=initial)
        inherit = (_("默认（%(mode)s）") if top else _("与上级工会相同（%(mode)s）")) % {
            "mode": _mode_label(inherited_mode)
        }
        _set_choices(
            self.fields["dues_mode"],
            [("", inherit), *((v, str(label)) for v, label in DuesMode.choices)],
        )


class MemberDuesModeForm(forms.Form):
    dues_mode = forms.ChoiceField(label=gettext_lazy("会费收缴方式"), required=False)

    def __init__(self, data=None, *, unit_mode: str, initial=None):
        super().__init__(data, initial=initial)
        inherit = _("按所属工会（%(mode)s）") % {"mode": _mode_label(unit_mode)}
        _set_choices(
            self.fields["dues_mode"],
            [("", inherit), *((v, str(label)) for v, label in DuesMode.choices)],
        )


MAX_DEDUCTION_BYTES = importer.MAX_FILE_BYTES


class DeductionUploadForm(forms.Form):
    """The payroll office's deduction file and the month it is for."""

    file = forms.FileField(
        label=gettext_lazy("工资代扣文件"),
        help_text=gettext_lazy("Excel（.xlsx）或 CSV，含“工号”“扣缴金额”列，第一张含表头的工作表"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,.txt"}),
    )
    month = forms.CharField(
        label=gettext_lazy("扣缴月份"),
        max_length=10,
        help_text=gettext_lazy("文件中没有“月份”列或单元格为空的行，按此月份登记"),
        widget=forms.TextInput(attrs={"type": "month"}),
    )

    def __init__(self, data=None, files=None):
        today = timezone.localdate()
        previous = rules.month_start(rules.month_start(today) - dt.timedelta(days=1))
        super().__init__(data, files, initial={"month": previous.strftime("%Y-%m")})

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_DEDUCTION_BYTES:
            raise forms.ValidationError(
                _("文件不能超过 %(mb)d MB") % {"mb": MAX_DEDUCTION_BYTES // (1024 * 1024)}
            )
        return upload

    def clean_month(self) -> dt.date:
        value = rules.parse_month(self.cleaned_data["month"])
        if value is None:
            raise forms.ValidationError(_("月份格式应为 2024-03"))
        error = rules.dues_month_error(value, timezone.localdate())
        if error:
            raise forms.ValidationError(importer.month_error(error))
        return value
