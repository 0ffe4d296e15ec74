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


# --- panels ---------------------------------------------------------------------------------------
#
# A module may also put a card of its own on the member home (org: the member e-card). The
# provider receives the request (a panel may need absolute URLs) and yields Panels: a template
# of the module, included with `data` set to the panel's context. Lower `order` comes first.
#
#     def _card_panel(request):
#         yield Panel("org/_card_panel.html", {"face": ...}, order=10)
#
#     register_panels(_card_panel)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict
    order: int = 100


PanelProvider = Callable[[object], Iterable[Panel]]
_PANEL_PROVIDERS: list[PanelProvider] = []


def register_panels(provider: PanelProvider) -> None:
    if provider not in _PANEL_PROVIDERS:
        _PANEL_PROVIDERS.append(provider)


def panels_for(request) -> list[Panel]:
    """Every registered module's panels for this request, by order; a failing provider is
    logged and skipped."""
    panels: list[Panel] = []
    for provider in _PANEL_PROVIDERS:
        try:
            panels.extend(provider(request))
        except Exception:
            logger.exception("home: the panel provider %r failed", provider)
    return sorted(panels, key=lambda p: p.order)
