"""Helpers of the assistance pages: run an action for a form and put a refusal next to the
field it concerns (or at the top of the form)."""

from __future__ import annotations


def querystring(request, drop: tuple[str, ...] = ("page",)) -> str:
    params = request.GET.copy()
    for key in drop:
        params.pop(key, None)
    return params.urlencode()
