"""Forms of module org: they parse and check input; the actions decide and write."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.core import dateranges
from zhijia.org import rules
from zhijia.org.models import Department, Member, OrgUnit
from zhijia.org.queries.members import ORDERINGS, MemberFilters


def _unit_choices(units: list[OrgUnit], blank: str | None) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    for unit in units:
        choices.append((str(unit.pk), "\u3000" * getattr(unit, "depth", 0) + unit.name))
    return choices


def _set_choices(field: forms.Field, choices: list[tuple[str, str]]) -> None:
    field.choices = choices  # type: ignore[attr-defined]  # a ChoiceField


def _department_choices(departments: list[Department], blank: str) -> list[tuple[str, str]]:
    return [("", blank)] + [(str(d.pk), d.name) for d in departments]


class UnitChoiceMixin:
    """Turns a chosen unit / department id back into the object, from the lists given."""

    def _pick(self, items, value):
        if not value:
            return None
        for item in items:
            if str(item.pk) == str(value):
                return item
        return None


class UnitPeriodForm(UnitChoiceMixin, forms.Form):
    """The filter of a list behind a dashboard figure: a unit among `units` and a period of
    days (the shared ?from=&to=, zhijia.core.dateranges). A subclass names the dates
    (`period_labels`) and the blank choice (`all_units`; None: no blank choice, and the first
    unit when none is chosen)."""

    unit = forms.ChoiceField(label=gettext_lazy("工会"), required=False)
    period_labels: tuple = (None, None)
    all_units: Any = gettext_lazy("全部工会")

    def __init__(self, data=None, *, units: list[OrgUnit]):
        super().__init__(data)
        self.units = units
        blank = str(self.all_units) if self.all_units is not None else None
        _set_choices(self.fields["unit"], _unit_choices(units, blank))
        dateranges.add_fields(self, *self.period_labels)

    def days(self) -> dateranges.DateRange:
        self.is_valid()
        return dateranges.from_form(self)

    def unit_obj(self) -> OrgUnit | None:
        self.is_valid()
        chosen = self._pick(self.units, getattr(self, "cleaned_data", {}).get("unit"))
        if chosen is None and self.all_units is None and self.units:
            return self.units[0]
        return chosen


class MemberFilterForm(UnitChoiceMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("搜索"),
        required=False,
        max_length=64,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": gettext_lazy("姓名、工号、拼音（zhangsan / zs）或手机尾号"),
                "autocomplete": "off",
            }
        ),
    )
    unit = forms.ChoiceField(label=gettext_lazy("所属工会"), required=False)
    status = forms.ChoiceField(
        label=gettext_lazy("状态"),
        required=False,
        choices=[("", gettext_lazy("全部状态")), *Member.Status.choices],
    )
    employment_type = forms.ChoiceField(
        label=gettext_lazy("用工性质"),
        required=False,
        choices=[("", gettext_lazy("全部用工性质")), *Member.EmploymentType.choices],
    )
    gender = forms.ChoiceField(
        label=gettext_lazy("性别"),
        required=False,
        choices=[("", gettext_lazy("全部性别")), *Member.Gender.choices],
    )
    department = forms.ChoiceField(label=gettext_lazy("部门"), required=False)
    join_year = forms.IntegerField(
        label=gettext_lazy("入会年份"), required=False, min_value=1900, max_value=2999
    )
    order = forms.ChoiceField(
        label=gettext_lazy("排序"),
        required=False,
        choices=[
            ("employee_no", gettext_lazy("工号")),
            ("name", gettext_lazy("姓名（拼音）")),
            ("join_date", gettext_lazy("入会日期")),
            ("-join_date", gettext_lazy("入会日期（最近）")),
            ("unit", gettext_lazy("所属工会")),
        ],
    )

    def __init__(self, data=None, *, units: list[OrgUnit], departments: list[Department]):
        super().__init__(data)
        self.units = units
        self.departments = departments
        _set_choices(self.fields["unit"], _unit_choices(units, _("全部工会")))
        _set_choices(self.fields["department"], _department_choices(departments, _("全部部门")))
        # Joined from / to (the shared ?from=&to=; the dashboard's drill-down passes them).
        dateranges.add_fields(self, gettext_lazy("入会日期自"), gettext_lazy("入会日期至"))

    def to_filters(self) -> MemberFilters:
        """The valid part of the input as filters (an invalid field is ignored, and shown)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        order = data.get("order") or "employee_no"
        return MemberFilters(
            q=(data.get("q") or "").strip(),
            unit=self._pick(self.units, data.get("unit")),
            status=data.get("status") or "",
            employment_type=data.get("employment_type") or "",
            gender=data.get("gender") or "",
            department=self._pick(self.departments, data.get("department")),
            join_year=data.get("join_year"),
            order=order if order in ORDERINGS else "employee_no",
            joined=dateranges.from_form(self),
        )


class MemberForm(UnitChoiceMixin, forms.Form):
    """Create (with the unit) or edit (without: the unit changes by transfer) a member."""

    employee_no = forms.CharField(label=gettext_lazy("工号"), max_length=32)
    name = forms.CharField(label=gettext_lazy("姓名"), max_length=64)
    gender = forms.ChoiceField(
        label=gettext_lazy("性别"), choices=Member.Gender.choices, widget=forms.RadioSelect
    )
    id_number = forms.CharField(
        label=gettext_lazy("身份证号"),
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("手机号"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )
    org_unit = forms.ChoiceField(label=gettext_lazy("所属工会"))
    department = forms.ChoiceField(label=gettext_lazy("部门"), required=False)
    job = forms.CharField(label=gettext_lazy("岗位"), max_length=64, required=False)
    employment_type = forms.ChoiceField(
        label=gettext_lazy("用工性质"),
        choices=Member.EmploymentType.choices,
        initial=Member.EmploymentType.REGULAR,
    )
    join_date = forms.DateField(
        label=gettext_lazy("入会日期"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    monthly_wage = forms.DecimalField(
        label=gettext_lazy("月工资收入"),
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text=gettext_lazy("不含奖金和津贴，用于计算会费（0.5%，不足10元部分不计）"),
    )

    def __init__(
        self,
        data=None,
        *,
        units: list[OrgUnit],
        departments: list[Department],
        member: Member | None = None,
    ):
        initial = None
        if member is not None:
            initial = {
                "employee_no": member.employee_no,
                "name": member.name,
                "gender": member.gender,
                "phone": member.phone,
                "department": str(member.department_id or ""),
                "job": member.job,
                "employment_type": member.employment_type,
                "join_date": member.join_date,
                "monthly_wage": member.monthly_wage,
            }
        super().__init__(data, initial=initial)
        self.member = member
        self.units = units
        self.departments = departments
        _set_choices(self.fields["department"], _department_choices(departments, _("（未填写）")))
        if member is None:
            _set_choices(self.fields["org_unit"], _unit_choices(units, _("请选择")))
        else:
            del self.fields["org_unit"]
            field = self.fields["id_number"]
            field.required = False
            field.help_text = _("当前：%(masked)s。留空表示不修改。") % {
                "masked": member.id_number_masked
            }

    def clean_employee_no(self) -> str:
        value = rules.normalize_employee_no(self.cleaned_data["employee_no"])
        if not value:
            raise forms.ValidationError(_("请填写工号"))
        return value

    def clean_id_number(self) -> str:
        value = rules.normalize_id_number(self.cleaned_data.get("id_number") or "")
        if not value:
            if self.member is None:
                raise forms.ValidationError(_("请填写身份证号"))
            return ""
        message = rules.id_number_error(value)
        if message:
            raise forms.ValidationError(_(message))
        return value

    def clean_phone(self) -> str:
        value = rules.normalize_phone(self.cleaned_data.get("phone") or "")
        message = rules.phone_error(value)
        if message:
            raise forms.ValidationError(_(message))
        return value

    def clean_join_date(self) -> dt.date | None:
        value = self.cleaned_data.get("join_date")
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("入会日期不能晚于今天"))
        return value

    def clean(self):
        super().clean()
        data = self.cleaned_data
        gender = data.get("gender")
        id_number = data.get("id_number")
        if gender and id_number:
            message = rules.id_number_gender_error(id_number, gender)
            if message:
                self.add_error("gender", _(message))
        elif gender and self.member is not None and not id_number:
            derived = rules.gender_from_masked(self.member.id_number_masked)
            if derived and derived != gender:
                self.add_error("gender", _("性别与身份证号不符（第17位奇数为男、偶数为女）"))
        return data

    def org_unit_obj(self) -> OrgUnit:
        unit = self._pick(self.units, self.cleaned_data.get("org_unit"))
        assert unit is not None, "a required choice among self.units"
        return unit

    def changes(self) -> dict:
        """The cleaned values in the shape the actions take."""
        data = dict(self.cleaned_data)
        data.pop("org_unit", None)
        data["department"] = self._pick(self.departments, data.get("department"))
        if not data.get("id_number"):
            data.pop("id_number", None)
        return data


class TransferForm(UnitChoiceMixin, forms.Form):
    OUT = "out"

    to_unit = forms.ChoiceField(label=gettext_lazy("转入工会"))
    effective_date = forms.DateField(
        label=gettext_lazy("生效日期"),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    reason = forms.CharField(
        label=gettext_lazy("原因"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": gettext_lazy("如：岗位调动、调离本企业")}),
    )

    def __init__(self, data=None, *, units: list[OrgUnit], current: OrgUnit):
        super().__init__(data, initial={"effective_date": timezone.localdate()})
        self.units = [u for u in units if u.pk != current.pk]
        _set_choices(
            self.fields["to_unit"],
            [
                ("", _("请选择")),
                *_unit_choices(self.units, None),
                (self.OUT, _("转出本会（调离本企业工会）")),
            ],
        )

    def target(self) -> OrgUnit | None:
        """The unit chosen, or None for a transfer out of the union."""
        value = self.cleaned_data["to_unit"]
        return None if value == self.OUT else self._pick(self.units, value)


# 转出 is reached by transfer only (so that the history is kept).
STATUS_CHOICES = [c for c in Member.Status.choices if c[0] != Member.Status.TRANSFERRED_OUT]


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=gettext_lazy("状态"), choices=STATUS_CHOICES)
    reason = forms.CharField(label=gettext_lazy("原因"), max_length=200, required=False)


class BulkForm(forms.Form):
    """The status part of the list's bulk actions (the ticked ids are read by the view)."""

    status = forms.ChoiceField(
        label=gettext_lazy("改为"),
        required=False,
        choices=[("", gettext_lazy("选择状态")), *STATUS_CHOICES],
    )


class TransfersFilterForm(UnitPeriodForm):
    """The moves out of a unit's subtree: the unit (default the first of the user's) and the
    days they took effect (?from=&to=, the dashboard's drill-down)."""

    unit = forms.ChoiceField(label=gettext_lazy("组织"), required=False)
    period_labels = (gettext_lazy("生效日期自"), gettext_lazy("生效日期至"))
    all_units = None
