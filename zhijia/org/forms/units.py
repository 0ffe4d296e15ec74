"""Forms of the org-tree pages: they parse the input; the actions decide and write.

Choices are given by the view (already limited to the caller's scope and to open units), and
a chosen id is turned back into an object only from those choices.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.org.forms.members import UnitChoiceMixin, _set_choices, _unit_choices
from zhijia.org.models import Department, OrgUnit


def _department_tree_choices(
    rows: list[tuple[Department, int]], blank: str | None
) -> list[tuple[str, str]]:
    choices = [("", blank)] if blank is not None else []
    return choices + [(str(d.pk), "\u3000" * depth + d.name) for d, depth in rows]


class NameForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200)


class UnitCreateForm(UnitChoiceMixin, forms.Form):
    parent = forms.ChoiceField(label=gettext_lazy("上级组织"))
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    code = forms.CharField(
        label=gettext_lazy("代码"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("可不填，系统按上级代码自动生成，如 B1-G5"),
    )

    def __init__(self, data=None, *, parents: list[OrgUnit], initial=None):
        super().__init__(data, initial=initial)
        self.parents = parents
        _set_choices(self.fields["parent"], _unit_choices(parents, None))

    def parent_obj(self) -> OrgUnit | None:
        return self._pick(self.parents, self.cleaned_data.get("parent"))


class UnitPickForm(UnitChoiceMixin, forms.Form):
    """One unit out of the given ones: the new parent of a move, the target of a merge."""

    unit = forms.ChoiceField()

    def __init__(self, data=None, *, units: list[OrgUnit], label: str):
        super().__init__(data)
        self.units = units
        self.fields["unit"].label = label
        _set_choices(self.fields["unit"], _unit_choices(units, _("请选择")))

    def unit_obj(self) -> OrgUnit | None:
        return self._pick(self.units, self.cleaned_data.get("unit"))


class ConfirmForm(forms.Form):
    """A close: nothing to fill in, the button is the confirmation."""


class DepartmentForm(UnitChoiceMixin, forms.Form):
    """Create (with parent and code) or edit (name and default union unit) a department."""

    parent = forms.ChoiceField(label=gettext_lazy("上级部门"), required=False)
    name = forms.CharField(label=gettext_lazy("名称"), max_length=200)
    code = forms.CharField(
        label=gettext_lazy("代码"),
        max_length=64,
        required=False,
        help_text=gettext_lazy("可不填，系统自动生成"),
    )
    default_org_unit = forms.ChoiceField(
        label=gettext_lazy("默认所属工会"),
        required=False,
        help_text=gettext_lazy("导入花名册时，该部门的职工默认加入这个工会组织"),
    )

    def __init__(
        self,
        data=None,
        *,
        parents: list[tuple[Department, int]] | None,
        units: list[OrgUnit],
        initial=None,
    ):
        super().__init__(data, initial=initial)
        self.units = units
        self.parents = [d for d, _depth in parents or []]
        if parents is None:
            del self.fields["parent"]
            del self.fields["code"]
        else:
            _set_choices(self.fields["parent"], _department_tree_choices(parents, _("（无）")))
        _set_choices(self.fields["default_org_unit"], _unit_choices(units, _("（不设）")))

    def parent_obj(self) -> Department | None:
        return self._pick(self.parents, self.cleaned_data.get("parent"))

    def unit_obj(self) -> OrgUnit | None:
        return self._pick(self.units, self.cleaned_data.get("default_org_unit"))


class DepartmentPickForm(UnitChoiceMixin, forms.Form):
    department = forms.ChoiceField()

    def __init__(self, data=None, *, rows: list[tuple[Department, int]], label: str):
        super().__init__(data)
        self.items = [d for d, _depth in rows]
        self.fields["department"].label = label
        _set_choices(self.fields["department"], _department_tree_choices(rows, _("请选择")))

    def department_obj(self) -> Department | None:
        return self._pick(self.items, self.cleaned_data.get("department"))
