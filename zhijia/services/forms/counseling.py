"""Forms of counseling pages: input parsing only; the rules live in actions_counseling."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.services.actions.counseling import MAX_MESSAGE, MAX_NOTE, MAX_TOPIC
from zhijia.services.models import CounselingQuestion, CounselingSlot

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}


class SlotForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("类型"),
        choices=CounselingSlot.Kind.choices,
        widget=forms.RadioSelect,
        initial=CounselingSlot.Kind.INDIVIDUAL,
        error_messages={"required": _("请选择咨询类型")},
    )
    mode = forms.ChoiceField(
        label=_("方式"),
        choices=CounselingSlot.Mode.choices,
        widget=forms.RadioSelect,
        initial=CounselingSlot.Mode.IN_PERSON,
        error_messages={"required": _("请选择咨询方式")},
    )
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=_DT, error_messages=_MSG)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=_DT, error_messages=_MSG)
    place = forms.CharField(
        label=_("地点"),
        max_length=200,
        required=False,
        help_text=_("面谈时必填，如：职工之家二楼心理咨询室"),
    )
    online_info = forms.CharField(
        label=_("线上接入方式"),
        max_length=300,
        required=False,
        help_text=_("线上时必填：会议号、链接或电话，仅预约者可见"),
    )
    title = forms.CharField(
        label=_("主题"), max_length=100, required=False, help_text=_("团体辅导必填")
    )
    capacity = forms.IntegerField(
        label=_("名额"),
        required=False,
        min_value=1,
        help_text=_("团体辅导的人数上限；个体咨询固定为 1 人"),
        error_messages={"invalid": _("请填写整数"), "min_value": _("名额至少为 1")},
    )
    description = forms.CharField(
        label=_("说明"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=2000
    )


class BookingForm(forms.Form):
    topic = forms.CharField(
        label=_("想聊的话题（选填）"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=MAX_TOPIC,
        help_text=_("只有心理咨询师能看到"),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("原因"), max_length=200, error_messages={"required": _("请填写原因")}
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因（选填）"), max_length=200, required=False)


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("记录内容"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=MAX_NOTE,
        help_text=_("加密保存，只有您本人能看到"),
        error_messages={"required": _("请填写记录内容")},
    )


class AskForm(forms.Form):
    topic = forms.ChoiceField(
        label=_("话题"),
        choices=CounselingQuestion.Topic.choices,
        error_messages={"required": _("请选择话题")},
    )
    body = forms.CharField(
        label=_("您想说的话"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=MAX_MESSAGE,
        help_text=_(
            "匿名提交：不记录您的账号、地址和具体时间。请勿写入姓名、工号等能认出您的信息。"
        ),
        error_messages={"required": _("请填写内容")},
    )


class ReceiptForm(forms.Form):
    code = forms.CharField(
        label=_("收据码"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        error_messages={"required": _("请输入收据码")},
    )


class FollowUpForm(forms.Form):
    code = forms.CharField(widget=forms.HiddenInput, max_length=40)
    body = forms.CharField(
        label=_("继续留言"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=MAX_MESSAGE,
        error_messages={"required": _("请填写内容")},
    )


class AnswerForm(forms.Form):
    body = forms.CharField(
        label=_("回复"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=MAX_MESSAGE,
        error_messages={"required": _("请填写回复内容")},
    )
