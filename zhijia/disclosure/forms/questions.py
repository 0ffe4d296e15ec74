"""Forms of workers' questions: asking, answering, closing, the queue's filter."""

from __future__ import annotations

from typing import cast

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.disclosure.forms.items import UnitFilterForm


class QuestionForm(forms.Form):
    text = forms.CharField(
        label=_("我要提问"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("对公开内容有疑问可以在这里提出，工会将在规定的工作日内答复。"),
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("答复"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5})
    )
    public = forms.BooleanField(
        label=_("公开此问答（不显示提问人姓名）"), required=False, initial=True
    )


class CloseQuestionForm(forms.Form):
    reason = forms.CharField(label=_("关闭理由"), max_length=500)


class QuestionFilterForm(UnitFilterForm):
    state = forms.ChoiceField(label=_("状态"), required=False)

    def __init__(self, *args, states, **kwargs):
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["state"]).choices = [
            ("open", _("待答复（含超期）")),
            ("", _("全部")),
        ] + list(states)
