"""What the member home lists under "what to do next": each module contributes its own items.

A module registers a provider from its AppConfig.ready():

    from zhijia.core.home import Todo, register_todos

    def _my_todos(user):
        n = queries.open_polls_for_voter(user).count()
        if n:
            yield Todo(_("参加表决"), reverse("voting:mine"), _("%(n)d 项表决等您投票") % {"n": n},
                       urgent=True)

    register_todos(_my_todos)

Providers read through their module's queries (so through the permission layer) and must be
cheap: they run on every visit to the home page. A provider that fails is logged and skipped,
so one module cannot take the home page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Todo:
    label: str
    url: str
    detail: str = ""
    urgent: bool = False


TodoProvider = Callable[[object], Iterable[Todo]]
_PROVIDERS: list[TodoProvider] = []


def register_todos(provider: TodoProvider) -> None:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)


def todos_for(user) -> list[Todo]:
    """Every registered module's items for `user`, urgent ones first, in registration order."""
    items: list[Todo] = []
    for provider in _PROVIDERS:
        try:
            items.extend(provider(user))
        except Exception:
            logger.exception("home: the to-do provider %r failed", provider)
    return sorted(items, key=lambda t: not t.urgent)
