"""Forms of the activities and interest-group pages: input parsing only; the rules live in
actions/activities.py and actions/clubs.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.core.forms import MultipleFileField
from zhijia.org.models import OrgUnit
from zhijia.services.models import Activity, Club
from zhijia.services.queries import activities as queries
from zhijia.services.queries import clubs as club_queries

_DT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
_MSG = {"required": _("请填写此项"), "invalid": _("格式不正确")}


def _units_for(user):
    return queries.manageable_units(user)


class ActivityForm(forms.Form):
    title = forms.CharField(label=_("活动名称"), max_length=100, error_messages=_MSG)
    kind = forms.ChoiceField(
        label=_("类型"), choices=Activity.Kind.choices, error_messages={"required": _("请选择")}
    )
    org_unit = forms.ModelChoiceField(
        label=_("主办单位"),
        queryset=OrgUnit.objects.none(),
        error_messages={"required": _("请选择主办单位"), "invalid_choice": _("请选择主办单位")},
    )
    audience_units = forms.ModelMultipleChoiceField(
        label=_("参加范围"),
        queryset=OrgUnit.objects.none(),
        required=False,
        help_text=_("不选则为主办单位全体会员；选中的单位含其下级单位"),
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    club = forms.ModelChoiceField(
        label=_("兴趣小组活动"),
        queryset=Club.objects.none(),
        required=False,
        help_text=_("选择后仅该小组成员可报名"),
    )
    starts_at = forms.DateTimeField(label=_("开始时间"), widget=_DT, error_messages=_MSG)
    ends_at = forms.DateTimeField(label=_("结束时间"), widget=_DT, error_messages=_MSG)
    place = forms.CharField(label=_("地点"), max_length=200, error_messages=_MSG)
    capacity = forms.IntegerField(
        label=_("名额"),
        min_value=1,
        error_messages={**_MSG, "min_value": _("名额至少为 1")},
    )
    opens_at = forms.DateTimeField(label=_("报名开始"), widget=_DT, error_messages=_MSG)
    closes_at = forms.DateTimeField(label=_("报名截止"), widget=_DT, error_messages=_MSG)
    fee = forms.CharField(
        label=_("费用"), max_length=100, required=False, help_text=_("如：免费、每人 50 元")
    )
    draw = forms.BooleanField(
        label=_("报名截止后抽签确定名额"),
        required=False,
        help_text=_("发布时生成抽签种子并公示；不选则按报名先后"),
    )
    offer_hours = forms.IntegerField(
        label=_("候补确认时限（小时）"),
        min_value=1,
        max_value=24 * 14,
        initial=24,
        error_messages={**_MSG, "min_value": _("至少 1 小时"), "max_value": _("不超过 336 小时")},
    )
    description = forms.CharField(
        label=_("活动介绍"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        units = _units_for(user)
        self.fields["org_unit"].queryset = units  # type: ignore[attr-defined]
        self.fields["audience_units"].queryset = units  # type: ignore[attr-defined]
        self.fields["club"].queryset = club_queries.manageable_clubs(user)  # type: ignore[attr-defined]

    @staticmethod
    def initial_of(activity: Activity) -> dict:
        return {
            "title": activity.title,
            "kind": activity.kind,
            "org_unit": activity.org_unit_id,
            "audience_units": list(activity.audience_units.values_list("pk", flat=True)),
            "club": activity.club_id,
            "starts_at": activity.starts_at,
            "ends_at": activity.ends_at,
            "place": activity.place,
            "capacity": activity.capacity,
            "opens_at": activity.opens_at,
            "closes_at": activity.closes_at,
            "fee": activity.fee,
            "draw": activity.draw,
            "offer_hours": activity.offer_hours,
            "description": activity.description,
        }


class CancelActivityForm(forms.Form):
    reason = forms.CharField(
        label=_("取消原因"), max_length=200, error_messages={"required": _("请填写取消原因")}
    )


class CheckinTokenForm(forms.Form):
    token = forms.CharField(
        label=_("签到码"),
        max_length=500,
        help_text=_("扫描职工报名页上的二维码，或粘贴二维码下方的签到码"),
        error_messages={"required": _("请扫描或粘贴签到码")},
        widget=forms.TextInput(attrs={"autocomplete": "off", "autofocus": True}),
    )

    def clean_token(self) -> str:
        """The token itself, or the check-in link the QR code holds (a phone's camera app
        reads it as a link): its `token` parameter."""
        from urllib.parse import parse_qs, urlsplit

        value = self.cleaned_data["token"].strip()
        if "?" in value:
            found = parse_qs(urlsplit(value).query).get("token")
            if found:
                return found[0].strip()
        return value


class PhotosForm(forms.Form):
    photos = MultipleFileField(
        label=_("活动照片"), accept="image/*", help_text=_("可一次选择多张，每张不超过 10 MB")
    )
