"""Forms of the contract pages: input parsing only; the rules live in the actions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.bargaining.forms.rounds import DATE, MSG, ReasonForm, UnitChoiceForm
from zhijia.bargaining.models import ComplianceCheck, Contract
from zhijia.core.forms import MultipleFileField

__all__ = ["ReasonForm"]  # the objection step's form, declared in workflows.py


class ContractForm(UnitChoiceForm):
    kind = forms.ChoiceField(label=_("合同类型"), choices=Contract.Kind.choices)
    title = forms.CharField(label=_("合同名称"), max_length=200, error_messages=MSG)
    employer_name = forms.CharField(label=_("用人单位"), max_length=200, error_messages=MSG)
    term_years = forms.IntegerField(
        label=_("期限（年）"),
        initial=3,
        min_value=1,
        max_value=3,
        error_messages={
            **MSG,
            "min_value": _("集体合同期限为 1 至 3 年"),
            "max_value": _("集体合同期限为 1 至 3 年"),
        },
    )
    vote_basis = forms.ChoiceField(label=_("审议方式"), choices=Contract.VoteBasis.choices)


class ClauseForm(forms.Form):
    title = forms.CharField(label=_("条款标题"), max_length=100, error_messages=MSG)
    text = forms.CharField(
        label=_("条款内容"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages=MSG,
    )
    measurable = forms.BooleanField(label=_("可量化承诺（履约期间安排检查）"), required=False)


class ClauseEditForm(ClauseForm):
    number = forms.IntegerField(label=_("条款号"), min_value=1, error_messages=MSG)
    remove = forms.BooleanField(label=_("删除此条"), required=False)
    title = forms.CharField(label=_("条款标题"), max_length=100, required=False)
    text = forms.CharField(
        label=_("条款内容"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class VersionForm(forms.Form):
    note = forms.CharField(label=_("修改说明"), max_length=200, required=False)


class VoteForm(forms.Form):
    """The vote's opening on the page: an encrypted vote once prepared, else a hall vote."""

    total = forms.IntegerField(
        label=_("应到人数（全体职工代表或全体职工；留空为本单位的账号数）"),
        required=False,
        min_value=1,
        error_messages=MSG,
    )


class SignForm(forms.Form):
    signed_on = forms.DateField(label=_("签字日期"), widget=DATE, error_messages=MSG)
    union_signer = forms.CharField(label=_("工会方首席代表"), max_length=64, error_messages=MSG)
    employer_signer = forms.CharField(label=_("企业方首席代表"), max_length=64, error_messages=MSG)


class FileForm(forms.Form):
    bureau = forms.CharField(label=_("劳动保障行政部门"), max_length=100, error_messages=MSG)
    bureau_received_on = forms.DateField(label=_("收到文本日期"), widget=DATE, error_messages=MSG)


class CheckForm(forms.Form):
    clause_number = forms.IntegerField(label=_("条款号"), min_value=1, error_messages=MSG)
    due_on = forms.DateField(label=_("检查日期"), widget=DATE, error_messages=MSG)
    responsible = forms.CharField(label=_("检查责任人"), max_length=64, error_messages=MSG)


class CheckResultForm(forms.Form):
    result = forms.ChoiceField(
        label=_("结果"),
        choices=[
            (ComplianceCheck.Result.MET, _("已履行")),
            (ComplianceCheck.Result.BREACHED, _("未履行（转为职工诉求）")),
        ],
    )
    finding = forms.CharField(
        label=_("检查情况"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    evidence = MultipleFileField(
        label=_("证据材料"), accept="image/*,.pdf,.doc,.docx,.xls,.xlsx,.txt"
    )
