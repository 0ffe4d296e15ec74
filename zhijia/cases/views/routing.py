"""Routing rules (分派规则): category × org-unit subtree → union level and/or department, with
the working days to answer. Cadres keep the rules of their own subtree."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from zhijia.cases.actions import routing as actions
from zhijia.cases.forms import routing as forms_routing
from zhijia.cases.queries import routing as queries_routing
from zhijia.core.forms import run_action
from zhijia.org.queries import members as org_queries


def _form(user, data=None):
    return forms_routing.RoutingRuleForm(
        data,
        units=queries_routing.routing_scope_units(user),
        departments=org_queries.all_departments(),
    )


@login_required
def routing_list(request):
    rules = queries_routing.routing_rules_for(request.user)
    status = 200
    form = _form(request.user)
    if request.method == "POST":
        form = _form(request.user, request.POST)
        if form.is_valid():
            d = form.cleaned_data
            rule, status = run_action(
                form,
                lambda: actions.do_create_routing_rule(
                    actor=request.user,
                    scope=org_queries.unit_by_id(d["scope"]),
                    category=d["category"],
                    target_unit=org_queries.unit_by_id(d["target_unit"])
                    if d["target_unit"]
                    else None,
                    department=org_queries.department_by_id(d["department"])
                    if d["department"]
                    else None,
                    deadline_workdays=d["deadline_workdays"],
                    note=d["note"],
                ),
            )
            if rule is not None:
                messages.success(request, _("分派规则已保存。"))
                return redirect("cases:routing-list")
        else:
            status = 400
    return render(
        request,
        "cases/routing_list.html",
        {"title": _("分派规则"), "rules": rules, "form": form},
        status=status,
    )


@login_required
@require_POST
def routing_delete(request, rule_id):
    rule = queries_routing.access_routing_rule(request.user, rule_id)
    actions.do_delete_routing_rule(actor=request.user, rule=rule)
    messages.success(request, _("已删除。"))
    return redirect("cases:routing-list")
