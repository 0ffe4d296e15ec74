"""Running a write action from a page's form: one way for every module.

    result, status = run_action(form, lambda: actions.do_x(actor=request.user, ...))
    if result is None:
        return render(request, "…", {"form": form}, status=status)

The refusal lands next to its field (or on top of the form) and the status says why. A
database too busy to take the write (SQLite's lock held past the busy timeout, a PostgreSQL
serialization failure) is answered 503 with the form as it was: nothing typed is lost and
nothing half-written stays, since the action's transaction rolled back.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhijia.core.errors import ActionRefused
from zhijia.core.satisfaction import Satisfaction

logger = logging.getLogger(__name__)

BUSY_STATUS = 503


def busy_message() -> str:
    return _("系统繁忙，暂时没能保存。您填写的内容还在下面，请稍等几秒后再点一次提交。")


def put_errors(form, exc: ActionRefused) -> None:
    """Put a refused action's messages next to the matching fields (or on top)."""
    placed = False
    for field, messages in exc.errors.items():
        if field in form.fields:
            form.add_error(field, messages)
            placed = True
    if not placed:
        form.add_error(None, exc.message)


def run_action(form, call: Callable[[], Any]) -> tuple[Any, int]:
    """Run `call()` for a valid form: (result, 200), or (None, status) with the refusal on
    the form."""
    try:
        return call(), 200
    except ActionRefused as exc:
        put_errors(form, exc)
        return None, exc.status
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for field, errors in exc.message_dict.items():
                target = field if field in form.fields else None
                for error in errors:
                    form.add_error(target, error)
        else:
            for error in exc.messages:
                form.add_error(None, error)
        return None, 400
    except OperationalError as exc:
        # The exception's text may quote the statement; log its class only.
        logger.warning("database busy during an action (%s)", type(exc).__name__)
        form.add_error(None, busy_message())
        return None, BUSY_STATUS


# --- several files in one input ------------------------------------------------------------------
class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's documented recipe), optional by default: cleans to
    a list of uploads (empty when none). What each file may be (type, size, how many) is
    checked by the action through zhijia.core.attachments. `accept` hints the browser's file
    picker ("image/*,.pdf")."""

    def __init__(self, *args, accept: str | None = None, **kwargs):
        attrs = {"accept": accept} if accept else None
        kwargs.setdefault("widget", MultipleFileInput(attrs=attrs))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            files = [single(d, initial) for d in data if d]
        else:
            files = [single(data, initial)] if data else []
        if self.required and not files:
            raise ValidationError(self.error_messages["required"], code="required")
        return files


class SatisfactionForm(forms.Form):
    """One rating on the shared scale (zhijia.core.satisfaction), as every rated service asks."""

    rating = forms.ChoiceField(label=gettext_lazy("满意度"), choices=Satisfaction.choices)
