"""Workflow states in templates, checked against the record's workflow.

    {% load zhijia_workflow %}
    {% if grievance|in_state:"submitted,assigned" %} … {% endif %}

An unknown state name raises (ValueError) instead of comparing false forever. A model on no
workflow is checked against its `state` field's choices; a missing record is in no state.
"""

from __future__ import annotations

from django import template

from zhijia.core.workflow import in_state as _in_state

register = template.Library()


@register.filter
def in_state(record, names: str) -> bool:
    codes = [n.strip() for n in str(names).split(",") if n.strip()]
    if not codes:
        raise ValueError("in_state needs at least one state name")
    if record is None or record == "":
        return False  # {% if item.poll|in_state:"open" %} with no poll, as item.poll.state did
    return _in_state(record, *codes)
