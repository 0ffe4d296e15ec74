"""Forms of an inspection tour's checklist (巡视检查清单): the finding on one subject. They
parse input; the rules are in actions.checklist, whose InspectionError is put next to the
field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.congress.models import ChecklistEntry
from zhijia.org.models import Department

TEXTAREA = forms.Textarea(attrs={"rows": 3})


class ChecklistFindingForm(forms.Form):
    """One subject's finding; prefixed with the subject (five forms on one page). The cadre
    also sees the department a problem goes to for rectification (optional)."""

    verdict = forms.ChoiceField(
        label=_("检查结论"), choices=ChecklistEntry.Verdict.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label=_("检查情况"),
        widget=TEXTAREA,
        required=False,
        help_text=_("存在问题时必填，将记为本次巡视发现的问题"),
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.filter(closed_at__isnull=True).order_by("path"),
        label=_("交责任部门整改"),
        required=False,
        help_text=_("不选则只记录问题，可稍后列为整改事项"),
    )
    requirement = forms.CharField(
        label=_("整改要求"), widget=TEXTAREA, required=False, help_text=_("不填则同检查情况")
    )
    workdays = forms.IntegerField(
        label=_("整改时限（工作日）"), min_value=1, max_value=250, required=False
    )

    def __init__(self, *args, can_rectify: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not can_rectify:
            for name in ("department", "requirement", "workdays"):
                del self.fields[name]
