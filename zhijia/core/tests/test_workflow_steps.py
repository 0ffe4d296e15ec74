"""Workflow steps declared once: state constants, precheck, the escalation effect inside the
sweep's transaction, the history view-model, the step view and the API route factory."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.messages.storage.fallback import FallbackStorage
from django.db import transaction
from django.http import HttpResponse
from django.template import Context, Template
from django.test import RequestFactory
from ninja import NinjaAPI, Router
from ninja.testing import TestClient

from zhijia.core.api_workflow import add_step_routes
from zhijia.core.errors import ActionRefused
from zhijia.core.tests.testapp import workflows as ticket_flow
from zhijia.core.tests.testapp.actions import do_close_ticket
from zhijia.core.tests.testapp.models import Ticket
from zhijia.core.tests.testapp.workflows import TICKET
from zhijia.core.views_workflow import first_error, step_view, transition_step
from zhijia.core.workflow import (
    TransitionError,
    do_transition,
    history,
    history_view,
    in_state,
    precheck,
    start,
    sweep_overdue,
    workflow_of,
)
from zhijia.org.models import Department

SH = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _clear_logs():
    ticket_flow.effect_log.clear()
    ticket_flow.escalation_log.clear()


@pytest.fixture
def ticket(personas, demo_units):
    t = Ticket.objects.create(
        title="更衣室热水器损坏", org_unit=demo_units["B1-G1"], submitter=personas["worker1"]
    )
    start(TICKET, t, actor=personas["worker1"], note="请尽快维修")
    return t


# --- state constants --------------------------------------------------------------------------


def test_states_are_constants_and_typos_fail_loudly(ticket):
    assert TICKET.states.submitted == "submitted"
    assert TICKET.states["submitted"] == "已提交"  # still code -> label
    with pytest.raises(AttributeError):
        TICKET.states.submited  # noqa: B018
    assert workflow_of(ticket) is TICKET
    assert in_state(ticket, "submitted", "assigned") and ticket.in_state("submitted")
    assert not ticket.in_state("closed")
    with pytest.raises(ValueError):
        ticket.in_state("sumbitted")


def test_template_filter_checks_the_state_name(ticket):
    tpl = '{% load zhijia_workflow %}{% if t|in_state:"submitted,assigned" %}open{% endif %}'
    assert Template(tpl).render(Context({"t": ticket})) == "open"
    with pytest.raises(ValueError):
        Template('{% load zhijia_workflow %}{{ t|in_state:"nope" }}').render(Context({"t": ticket}))


# --- precheck ---------------------------------------------------------------------------------


def test_precheck_refuses_forbidden_then_wrong_state(personas, ticket):
    with transaction.atomic(), pytest.raises(TransitionError) as forbidden:
        precheck(TICKET, ticket, "assign", personas["worker2"])
    assert forbidden.value.status == 403 and isinstance(forbidden.value, ActionRefused)
    with transaction.atomic(), pytest.raises(TransitionError) as wrong_state:
        precheck(TICKET, ticket, "rate", personas["worker1"])
    assert wrong_state.value.status == 409
    # Guards only when asked (they may look at fields the action is about to set).
    with transaction.atomic():
        precheck(TICKET, ticket, "assign", personas["branch1"])
        with pytest.raises(TransitionError) as guard:
            precheck(TICKET, ticket, "assign", personas["branch1"], guards=True)
    assert guard.value.status == 400


def test_prechecked_transition_after_the_action_changed_the_permission_fields(
    personas, ticket, demo_units
):
    hr = Department.objects.get(code="D-HR")
    with transaction.atomic():
        checked = precheck(TICKET, ticket, "assign", personas["branch1"])
        # The action moves the ticket out of branch1's reach before firing the transition:
        # the permission was answered against the record as it was.
        ticket.org_unit = demo_units["B2"]
        ticket.department = hr
        ticket.save(update_fields=["org_unit", "department"])
        do_transition(TICKET, ticket, "assign", actor=personas["branch1"], prechecked=checked)
    assert ticket.in_state("assigned")
    with transaction.atomic(), pytest.raises(ValueError):
        checked = precheck(TICKET, ticket, "close", personas["worker1"])
        do_transition(TICKET, ticket, "close", actor=personas["worker2"], prechecked=checked)


def test_action_with_precheck_refuses_before_writing(personas, ticket):
    with pytest.raises(TransitionError):
        do_close_ticket(actor=personas["worker2"], ticket=ticket, reason="不用了")
    ticket.refresh_from_db()
    assert ticket.title == "更衣室热水器损坏" and ticket.in_state("submitted")
    do_close_ticket(actor=personas["worker1"], ticket=ticket, reason="不用了")
    ticket.refresh_from_db()
    assert ticket.in_state("closed") and ticket.title.endswith("（已关闭）")


# --- the escalation effect --------------------------------------------------------------------


def test_escalation_effect_runs_in_the_sweeps_transaction(ticket):
    with time_machine.travel(datetime(2027, 1, 1, 12, tzinfo=SH), tick=False):
        assert sweep_overdue(TICKET) == 1
    ticket.refresh_from_db()
    assert ticket_flow.effect_log == [(ticket.pk, 1, True)]
    assert ticket.escalation_level == 1 and ticket.title.endswith("(level 1)")


def test_a_failing_effect_rolls_the_escalation_back(ticket):
    Ticket.objects.filter(pk=ticket.pk).update(title="effect fails")
    with time_machine.travel(datetime(2027, 1, 1, 12, tzinfo=SH), tick=False):
        assert sweep_overdue(TICKET) == 0  # logged and skipped
    ticket.refresh_from_db()
    assert ticket.escalation_level == 0 and ticket.escalated_at is None
    assert [e.transition for e in history(ticket)] == ["start"]
    assert ticket_flow.escalation_log == []  # nothing after commit either


# --- the history view-model -------------------------------------------------------------------


def test_history_view_applies_the_workflows_visibility_rule(personas, ticket):
    do_close_ticket(actor=personas["branch1"], ticket=ticket, reason="已修好")
    staff = history_view(ticket, personas["branch1"])
    worker = history_view(ticket, personas["worker1"])
    outsider = history_view(ticket, personas["worker2"])
    assert [r.label for r in staff] == ["提交", "关闭"]
    assert [r.state_label for r in staff] == ["已提交", "已办结"]
    assert staff[1].actor == personas["branch1"].get_full_name()
    assert staff[0].note == "请尽快维修"
    # The worker sees their own name, 工会 for the cadre, and only the notes of "close".
    assert worker[0].actor == personas["worker1"].get_full_name()
    assert worker[1].actor == "工会" and worker[1].note == "已修好"
    assert outsider[0].actor == "工会" and outsider[0].note == ""
    assert outsider[0].actor_id is None and outsider[0].data == {}


# --- the step view ----------------------------------------------------------------------------


def _request(user, data):
    request = RequestFactory().post("/", data)
    request.user = user
    request.session = {}
    request._messages = FallbackStorage(request)
    return request


def test_step_view_refusal_rerenders_with_its_status(personas, ticket):
    seen = {}

    def on_error(form, status):
        seen["error"], seen["status"] = first_error(form), status
        return HttpResponse(status=status)

    response = transition_step(
        _request(personas["worker2"], {"reason": "x"}),
        TICKET,
        "close",
        record=ticket,
        record_arg="ticket",
        on_error=on_error,
        success_url="/done/",
    )
    assert response.status_code == 403 and "无权" in seen["error"]
    ticket.refresh_from_db()
    assert ticket.in_state("submitted")

    response = transition_step(
        _request(personas["worker1"], {"reason": "不需要了"}),
        TICKET,
        "close",
        record=ticket,
        record_arg="ticket",
        on_error=on_error,
        success_url="/done/",
    )
    assert response.status_code == 302 and response["Location"] == "/done/"
    ticket.refresh_from_db()
    assert ticket.in_state("closed")


def test_step_view_without_input_and_invalid_form(personas, ticket):
    from django import forms

    class Needs(forms.Form):
        text = forms.CharField()

    statuses = []

    def on_error(form, status):
        statuses.append(status)
        return HttpResponse(status=status)

    def refuse(data):
        raise ActionRefused("不行", status=409)

    assert (
        step_view(
            _request(personas["worker1"], {}),
            form=None,
            call=refuse,
            on_error=on_error,
            success_url="/",
        ).status_code
        == 409
    )
    assert (
        step_view(
            _request(personas["worker1"], {}),
            form=Needs({}),
            call=refuse,
            on_error=on_error,
            success_url="/",
        ).status_code
        == 400
    )
    assert statuses == [409, 400]


# --- the API route factory --------------------------------------------------------------------


def test_step_routes_run_the_declared_action(personas, ticket):
    from django.http import Http404

    def access(user, pk):
        found = Ticket.objects.filter(pk=pk).first()
        if found is None:
            raise Http404
        return found

    router = Router()
    add_step_routes(
        router,
        TICKET,
        path="/tickets/{int:ticket_id}",
        access=access,
        record_arg="ticket",
        response=dict,
        result=lambda user, t: {"state": t.state},
        names=["close"],
    )
    api = NinjaAPI(urls_namespace="test_workflow_steps")
    api.add_router("/", router)

    @api.exception_handler(ActionRefused)
    def refused(request, exc):
        return api.create_response(request, {"detail": exc.message}, status=exc.status)

    client = TestClient(api)
    answer = client.post(
        f"/tickets/{ticket.pk}/close", json={"reason": "x"}, user=personas["worker2"]
    )
    assert answer.status_code == 403
    answer = client.post(
        f"/tickets/{ticket.pk}/close", json={"reason": "好了"}, user=personas["worker1"]
    )
    assert answer.status_code == 200 and answer.json() == {"state": "closed"}
    schema = api.get_openapi_schema(path_prefix="")
    assert "/tickets/{ticket_id}/close" in schema["paths"]


# --- declarations of every module -------------------------------------------------------------


def test_every_declared_hook_and_step_resolves():
    """Hooks and steps are dotted paths (workflows.py imports no actions): a typo in one would
    only show when the sweep or the page first needs it, so resolve them all here."""
    from zhijia.core.workflow import _resolve, registered_workflows

    for wf in registered_workflows().values():
        for hook in (
            wf.on_reminder,
            *((wf.escalation.effect, wf.escalation.on_escalate) if wf.escalation else ()),
        ):
            if hook is not None:
                assert callable(_resolve(hook, "")), (wf.name, hook)
        for t in wf.transitions:
            for spec in (t.action, t.form, t.schema):
                if spec is not None:
                    assert _resolve(spec, "") is not None, (wf.name, t.name, spec)


def test_no_workflows_module_imports_an_actions_module():
    import ast
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    for path in root.glob("*/workflows.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
                assert not any(".actions" in n for n in names), (path, node.module)
            if isinstance(node, ast.Import):
                assert not any(".actions" in a.name for a in node.names), path
