"""Forms of the follow-up pages (决议落实跟踪). They parse input; the rules are in the actions,
whose FollowupError is put next to the field it names."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from zhijia.org.models import Department

TEXTAREA = forms.Textarea(attrs={"rows": 4})
DATE = forms.DateInput(attrs={"type": "date"})


class PlanForm(forms.Form):
    """The plan of one passed resolution ("item:<id>") or adopted proposal ("proposal:<id>")."""

    source = forms.ChoiceField(label=_("决议或提案"), choices=())
    department = forms.ModelChoiceField(
        queryset=Department.objects.filter(closed_at__isnull=True).order_by("path"),
        label=_("责任部门"),
    )
    responsible = forms.CharField(label=_("责任人"), max_length=64)
    measures = forms.CharField(label=_("落实措施"), widget=TEXTAREA)

    def __init__(self, *args, items=(), proposals=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [
            (
                f"item:{i.pk}",
                _("决议：%(title)s（%(session)s）") % {"title": i.title, "session": i.session},
            )
            for i in items
        ] + [
            (
                f"proposal:{p.pk}",
                _("提案：%(title)s（%(session)s）") % {"title": p.title, "session": p.session},
            )
            for p in proposals
        ]
        self.fields["source"].choices = choices  # type: ignore[attr-defined]


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("节点"), max_length=200)
    due_date = forms.DateField(label=_("完成期限"), widget=DATE)


class MilestoneResultForm(forms.Form):
    """The `complete` step of workflow congress.milestone."""

    result = forms.CharField(label=_("完成情况"), widget=TEXTAREA)


class ReportForm(forms.Form):
    """A follow-up report on the three points, each required."""

    period = forms.CharField(label=_("报告期"), max_length=64, required=False)
    progress = forms.CharField(label=_("实施进度"), widget=TEXTAREA)
    changes = forms.CharField(label=_("实施过程中的变化"), widget=TEXTAREA)
    problems = forms.CharField(label=_("执行中的问题和整改情况"), widget=TEXTAREA)
