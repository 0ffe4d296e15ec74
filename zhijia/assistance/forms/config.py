"""Form of the assistance settings."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.assistance.forms.common import CENT


class ConfigForm(forms.Form):
    dibao_line = forms.DecimalField(
        label=_("当地城市低保标准（元/人/月）"), max_digits=10, decimal_places=2, min_value=CENT
    )
    relative_factor = forms.DecimalField(
        label=_("相对困难倍数"), max_digits=4, decimal_places=2, min_value=1, max_value=10
    )
    accident_loss_ratio = forms.DecimalField(
        label=_("意外致困损失比例"),
        max_digits=4,
        decimal_places=2,
        min_value=CENT,
        max_value=10,
        help_text=_("损失超过家庭年收入的该比例即为意外致困，0.80 即 80%"),
    )
    notice_workdays = forms.IntegerField(label=_("公示期（工作日）"), min_value=1, max_value=30)
    retention_years = forms.IntegerField(label=_("退出后档案保存年限"), min_value=1, max_value=50)
    review_interval_months = forms.IntegerField(
        label=_("复核周期（月）"), min_value=1, max_value=36
    )
