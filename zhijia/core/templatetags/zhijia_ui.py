"""The shared page components (templates under components/), as tags.

- ``{% pager page %}``: the one pager of every paginated list (a core.pagination.Page); it
  keeps the page's other query parameters. ``target="#id"`` makes its links htmx swaps.
- ``{% status_badge state label %}`` or ``{% status_badge obj %}``: a state as a badge; its
  colour comes from the one vocabulary below (TONES), not from each template.
- ``{% timeline entries %}``: a workflow's history, oldest first.
- ``{% form_errors form %}``: a form's non-field errors, or a refused action's message, at the
  top of a form (field errors stay next to their fields: _field.html).
- ``{% include "components/action_form.html" with form=... action=... title=... %}``: a form
  that runs one workflow step (see the template for its parameters).
"""

from __future__ import annotations

from typing import Any

from django import template
from django.http import QueryDict

register = template.Library()

# --- the status badge vocabulary -----------------------------------------------------------
# A state's tone, by its value. Values that mean the same thing in several workflows share a
# tone everywhere: done is "ok", waiting on someone is "info", late or sent back is "warn",
# refused or ended badly is "danger", and a state with no entry stays neutral.
TONES: dict[str, str] = {
    # done, settled, in good standing
    "ok": "ok",
    "active": "ok",
    "approved": "ok",
    "answered": "ok",
    "verified": "ok",
    "resolved": "ok",
    "closed": "ok",
    "done": "ok",
    "paid": "ok",
    "agreed": "ok",
    "adopted": "ok",
    "completed": "ok",
    "published": "ok",
    "confirmed": "ok",
    "booked": "ok",
    "rectified": "ok",
    # waiting on someone
    "submitted": "info",
    "reviewed": "info",
    "accepted": "info",
    "assigned": "info",
    "in_progress": "info",
    "handling": "info",
    "open": "info",
    "pending": "info",
    "registered": "info",
    "notice": "warn",
    # late, sent back, needs attention
    "warn": "warn",
    "overdue": "warn",
    "reopened": "warn",
    "escalated": "warn",
    "waitlisted": "warn",
    "transferred_out": "warn",
    "returned": "warn",
    "cancelled": "warn",
    # refused, ended badly
    "fail": "danger",
    "failed": "danger",
    "refused": "danger",
    "rejected": "danger",
    "declined": "danger",
    "expelled": "danger",
    "withdrawn": "muted",
    "dismissed": "muted",
    "retired": "muted",
    "draft": "muted",
}


def tone_of(state: Any, tones: dict[str, str] | None = None) -> str:
    key = str(state or "")
    if tones and key in tones:
        return tones[key]
    return TONES.get(key, "neutral")


def _state_and_label(obj: Any) -> tuple[str, str]:
    for attr in ("state", "status"):
        value = getattr(obj, attr, None)
        if value is not None:
            label = getattr(obj, f"{attr}_label", None)
            if label is None:
                display = getattr(obj, f"get_{attr}_display", None)
                label = display() if callable(display) else value
            return str(value), str(label)
    return str(obj), str(obj)


@register.inclusion_tag("components/status_badge.html")
def status_badge(state: Any, label: Any = None, tone: str = "", tones: Any = None) -> dict:
    """A state as a badge. Pass the state's value and its label, or an object with
    ``state``/``status`` (its label from ``state_label`` or ``get_<field>_display``).
    ``tone=`` overrides the vocabulary for one use; ``tones=`` is a {state: tone} map."""
    if label is None and not isinstance(state, str):
        state, label = _state_and_label(state)
    return {
        "state": state,
        "label": label if label is not None else state,
        "tone": tone or tone_of(state, tones),
    }


@register.inclusion_tag("components/pager.html", takes_context=True)
def pager(context, page, target: str = "", querystring: Any = None) -> dict:
    """The pager of `page`; links keep the request's other parameters (or `querystring`)."""
    if querystring is None:
        querystring = context.get("querystring")
    if querystring is None:
        request = context.get("request")
        querystring = request.GET.urlencode() if request is not None else ""
    params = QueryDict(str(querystring or ""), mutable=True)
    params.pop(getattr(page, "param", "page"), None)  # the pager's links set it
    return {"page": page, "target": target, "querystring": params.urlencode()}


_WHO = ("who", "actor_label", "actor")
_TO = ("to_label", "state_label", "to", "state")
_NOTE = ("note", "text")


def _first(entry: Any, names: tuple[str, ...]) -> Any:
    for name in names:
        value = entry.get(name) if isinstance(entry, dict) else getattr(entry, name, None)
        if value not in (None, ""):
            return value
    return None


def timeline_entry(entry: Any) -> dict:
    """One history entry in the component's terms.

    The modules' history view-models name the same things differently today (``actor``,
    ``who``, ``actor_label``; ``to``, ``to_label``, ``state_label``); the component reads
    whichever is there until core's workflow history view-model gives them one set of names.
    """
    event = entry.get("event") if isinstance(entry, dict) else getattr(entry, "event", None)
    source = event if event is not None and _first(entry, ("at",)) is None else entry
    transition = _first(entry, ("transition",))
    return {
        "at": _first(entry, ("at",)) or _first(source, ("at",)),
        "label": _first(entry, ("label", "to_state")),
        "who": _first(entry, _WHO) or _first(source, _WHO),
        "to": _first(entry, _TO),
        "note": _first(entry, _NOTE) or _first(source, _NOTE),
        "warn": bool(_first(entry, ("escalation", "warn")) or transition == "escalate"),
        "kind": _first(entry, ("kind",)) or "",
        "from_worker": bool(_first(entry, ("from_worker",))),
    }


@register.inclusion_tag("components/timeline.html")
def timeline(entries: Any, empty: str = "", show_state: bool = True) -> dict:
    """A workflow's history: when, what, who, the state it led to and the note."""
    return {
        "entries": [timeline_entry(e) for e in entries or ()],
        "empty": empty,
        "show_state": show_state,
    }


@register.inclusion_tag("components/errors.html")
def form_errors(form: Any = None, message: Any = None) -> dict:
    """A form's non-field errors (a refused action lands there through run_action) and/or
    one `message`, as one alert above the form's fields."""
    return {"form": form, "message": message}
