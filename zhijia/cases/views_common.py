"""What the pages of module cases share: running an action for a form, and the busy-database
answer that keeps what the worker typed."""

from __future__ import annotations

import logging

from django.core.exceptions import ValidationError
from django.db import OperationalError
from django.utils.translation import gettext as _

from zhijia.core.workflow import TransitionError

logger = logging.getLogger(__name__)

BUSY_STATUS = 503


def busy_message() -> str:
    return _("系统繁忙，暂时没能保存。您填写的内容还在下面，请稍等几秒后再点一次提交。")


def run_action(form, call):
    """Run `call()` for a valid form. Returns (result, status): 200 when it went through;
    otherwise the refusal is put next to its field (or on top) and the status says why.
    A database too busy to take the write (SQLite's lock held past the busy timeout, a
    PostgreSQL serialization failure) is answered 503 with the form as it was: nothing typed
    is lost and nothing half-written stays (the action's transaction rolled back)."""
    try:
        return call(), 200
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
    except TransitionError as exc:
        form.add_error(None, exc.message)
        return None, exc.status
    except OperationalError as exc:
        # The exception's text names no user input; log its class only.
        logger.warning("database busy during a cases action (%s)", type(exc).__name__)
        form.add_error(None, busy_message())
        return None, BUSY_STATUS
