"""Forms of module voting: creating a poll, opening it, entering a paper result."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.voting.models import Poll


class PollForm(forms.Form):
    title = forms.CharField(label=_("表决事项"), max_length=200)
    description = forms.CharField(
        label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    unit: forms.ModelChoiceField = forms.ModelChoiceField(
        label=_("所属组织"), queryset=None, empty_label=None
    )
    kind = forms.ChoiceField(label=_("类型"), choices=Poll.Kind.choices)
    candidates = forms.CharField(
        label=_("候选人或选项（每行一个）"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("选举时填写；赞成/反对/弃权表决不用填写。"),
    )
    seats = forms.IntegerField(label=_("最多可选（应选人数）"), min_value=1, initial=1)
    rule = forms.ChoiceField(label=_("通过规则"), choices=Poll.Rule.choices)
    is_paper = forms.BooleanField(label=_("纸质（现场）表决，会后录入票数"), required=False)
    encrypted = forms.BooleanField(
        label=_("加密投票（在线表决推荐）"),
        required=False,
        initial=True,
        help_text=_(
            "选票在投票人的浏览器中加密，密钥由 3 至 5 名监票人分持，服务器无法解密任何一张选票；"
            "结束后由足够多的监票人共同解密计票，任何人都可以用核验程序重新计票。"
        ),
    )

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ModelChoiceField, self.fields["unit"]).queryset = units

    def candidate_list(self) -> list[str]:
        return [
            line.strip() for line in self.cleaned_data["candidates"].splitlines() if line.strip()
        ]


class OpenForm(forms.Form):
    SOURCES = [
        ("members", _("本组织及下级全体在册会员")),
        ("representatives", _("本组织及下级的职工代表")),
    ]
    source = forms.ChoiceField(
        label=_("投票人名单"), choices=SOURCES, widget=forms.RadioSelect, initial="members"
    )
    majority_base = forms.IntegerField(
        label=_("过半数的基数（留空 = 名单人数）"), required=False, min_value=1
    )


class PaperResultForm(forms.Form):
    valid_ballots = forms.IntegerField(label=_("有效票"), min_value=0)
    invalid_ballots = forms.IntegerField(label=_("无效票"), min_value=0, initial=0)

    def __init__(self, *args, options, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_fields = []
        for option in options:
            name = f"count_{option.key}"
            self.fields[name] = forms.IntegerField(label=option.label, min_value=0, initial=0)
            self.option_fields.append((option.key, name))

    def counts(self) -> dict[str, int]:
        return {key: self.cleaned_data[name] for key, name in self.option_fields}


class TrusteesForm(forms.Form):
    usernames = forms.CharField(
        label=_("监票人（每行一个用户名，3 至 5 人）"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("大会选举产生的总监票人和监票人；须是本组织及下级的会员。"),
    )
    quorum = forms.IntegerField(
        label=_("解密所需人数（留空 = 过半数）"), required=False, min_value=2
    )

    def username_list(self) -> list[str]:
        return [u.strip() for u in self.cleaned_data["usernames"].splitlines() if u.strip()]


class TrusteeUploadForm(forms.Form):
    document = forms.FileField(label=_("上传监票人工具生成的文件（.json）"))
