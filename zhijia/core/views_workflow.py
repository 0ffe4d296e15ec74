"""One step view for every workflow page: bind the form, run the action, answer.

    return step_view(
        request,
        form=ReasonForm(request.POST),
        call=lambda data: actions.do_dismiss_hazard(actor=request.user, hazard=hazard,
                                                    reason=data["reason"]),
        on_error=lambda form, status: _hazard_page(request, hazard, status=status,
                                                   dismiss_form=form),
        success_url=hazard.get_absolute_url(),
        message=_("已办理：%(action)s") % {"action": HAZARD.transition_label("dismiss")},
    )

An invalid form re-renders with 400; a refused action (ActionRefused, TransitionError
included) puts its message next to its field and re-renders with the refusal's status (403,
409, 400; 503 when the database was busy): a refused write never answers like a successful
one. A step without input passes `form=None`; its refusal arrives on an empty form, whose
`non_field_errors()` the page shows.

`transition_step(...)` does the same from the workflow's declarations: the transition's
`form` (dotted path) bound to the request, its `action` (dotted path) called as
`action(actor=request.user, <record_arg>=record, **arguments(cleaned_data))`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from zhijia.core.forms import run_action
from zhijia.core.workflow import Workflow


class NoInput(forms.Form):
    """The form of a step that takes no input: it carries the refusal, if any."""


def step_view(
    request: HttpRequest,
    *,
    form: forms.BaseForm | None,
    call: Callable[[Mapping[str, Any]], Any],
    on_error: Callable[[forms.BaseForm, int], HttpResponse],
    success_url: str | Callable[[Any], str],
    message: str | None = None,
) -> HttpResponse:
    """Bind → run → re-render with the errors, or redirect with a message."""
    bound = form if form is not None else NoInput(request.POST)
    if not bound.is_valid():
        return on_error(bound, 400)
    data = bound.cleaned_data
    result, status = run_action(bound, lambda: call(data))
    if status != 200:
        return on_error(bound, status)
    if message:
        messages.success(request, message)
    return redirect(success_url(result) if callable(success_url) else success_url)


def transition_step(
    request: HttpRequest,
    workflow: Workflow,
    name: str,
    *,
    record: Any,
    record_arg: str,
    on_error: Callable[[forms.BaseForm, int], HttpResponse],
    success_url: str | Callable[[Any], str],
    form_kwargs: Mapping[str, Any] | None = None,
    arguments: Callable[[Mapping[str, Any]], Mapping[str, Any]] | None = None,
    message: str | None = None,
) -> HttpResponse:
    """The step view of transition `name`, from its declared `form` and `action`."""
    transition = workflow.transition(name)
    form = (
        transition.get_form()(request.POST, request.FILES, **dict(form_kwargs or {}))
        if transition.form
        else None
    )
    action = transition.get_action()

    def call(data: Mapping[str, Any]) -> Any:
        kwargs = dict(arguments(data) if arguments is not None else data)
        return action(actor=request.user, **{record_arg: record}, **kwargs)

    return step_view(
        request,
        form=form,
        call=call,
        on_error=on_error,
        success_url=success_url,
        message=message if message is not None else _done_message(workflow.transition_label(name)),
    )


def _done_message(label: str) -> str:
    from django.utils.translation import gettext

    return gettext("已办理：%(action)s") % {"action": label}


def first_error(form: forms.BaseForm) -> str | None:
    """The refusal on a form, for pages that show one message on top: the form-wide error
    first, else the first field's."""
    errors = form.non_field_errors()
    if errors:
        return str(errors[0])
    for field_errors in form.errors.values():
        if field_errors:
            return str(field_errors[0])
    return None
