"""The test app's actions, form and schema, declared on TICKET's "close" transition by path."""

from __future__ import annotations

from django import forms
from django.db import transaction
from ninja import Schema

from zhijia.core.tests.testapp.workflows import TICKET
from zhijia.core.workflow import do_transition, precheck


class CloseForm(forms.Form):
    reason = forms.CharField(required=False)


class CloseIn(Schema):
    reason: str = ""


@transaction.atomic
def do_close_ticket(*, actor, ticket, reason: str = ""):
    checked = precheck(TICKET, ticket, "close", actor)
    ticket.title = ticket.title + "（已关闭）"
    ticket.save(update_fields=["title"])
    do_transition(TICKET, ticket, "close", actor=actor, note=reason, prechecked=checked)
    return ticket
