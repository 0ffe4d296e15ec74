"""Reads remembered for the length of one piece of work that asks the same question many times,
e.g. the global search, where each module's scope asks for the user's own member record.

    from zhijia.core import memo

    with memo.active():                      # the caller: core.searchables.search_all
        ...
    memo.remember(("org.own_member", user.pk), lambda: query.first())   # a module's read

Outside `active()` nothing is remembered (every call reads), so a page or an action that
changes what it has read always reads it again. Kept in a context variable: one per thread
or task, never shared between requests.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

__all__ = ["active", "remember"]

T = TypeVar("T")

_store: ContextVar[dict | None] = ContextVar("zhijia_memo", default=None)


@contextmanager
def active() -> Iterator[None]:
    """Remember reads until the block ends (nested blocks share the outer one's reads)."""
    if _store.get() is not None:
        yield
        return
    token = _store.set({})
    try:
        yield
    finally:
        _store.reset(token)


def remember(key: Hashable, compute: Callable[[], T]) -> T:
    """`compute()`, or what it answered for `key` earlier within the same `active()` block."""
    store = _store.get()
    if store is None:
        return compute()
    if key not in store:
        store[key] = compute()
    return store[key]
