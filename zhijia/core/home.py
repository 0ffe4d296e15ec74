"""The home pages are built from what the modules register here; core knows no module.

The member home lists "what to do next" (to-dos) and the modules' cards (panels); the cadre
workspace shows figures (counts the user may see) and the modules' panels. Each module
registers its providers from its AppConfig.ready(), in its home.py.

To-dos: each module contributes its own items.

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
    # Within urgent and non-urgent items, lower first (ties: registration order).
    order: int = 100


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
    return sorted(items, key=lambda t: (not t.urgent, t.order))


# --- panels --------------------------------------------------------------------------------------
#
# A module may also put a card of its own on a home page (org: the member e-card and records). The
# provider receives the request (a panel may need absolute URLs) and yields Panels: a template
# of the module, included with `data` set to the panel's context. Lower `order` comes first.
# A provider is registered for one slot of one page:
#   GREETING   the member home, under the greeting (who the member is)
#   MEMBER     the member home, after the to-dos
#   WORKSPACE  the cadre workspace, after the module cards
#
#     def _card_panel(request):
#         yield Panel("org/_card_panel.html", {"face": ...}, order=10)
#
#     register_panels(_card_panel)                  # slot MEMBER
#     register_panels(_links, slot=WORKSPACE)

GREETING = "greeting"
MEMBER = "member"
WORKSPACE = "workspace"
SLOTS = (GREETING, MEMBER, WORKSPACE)


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict
    order: int = 100


PanelProvider = Callable[[object], Iterable[Panel]]
_PANEL_PROVIDERS: dict[str, list[PanelProvider]] = {slot: [] for slot in SLOTS}


def register_panels(provider: PanelProvider, *, slot: str = MEMBER) -> None:
    providers = _PANEL_PROVIDERS[slot]
    if provider not in providers:
        providers.append(provider)


def panels_for(request, slot: str = MEMBER) -> list[Panel]:
    """Every registered module's panels of `slot` for this request, by order; a failing
    provider is logged and skipped."""
    panels: list[Panel] = []
    for provider in _PANEL_PROVIDERS[slot]:
        try:
            panels.extend(provider(request))
        except Exception:
            logger.exception("home: the panel provider %r failed", provider)
    return sorted(panels, key=lambda p: p.order)


# --- member profile panels -----------------------------------------------------------------------
#
# A module may add a card to a member's record page (org's member detail, which the member and
# the cadres who may open her record see): org may not import the modules that hold records
# about a member (services' honours), so they register here. The provider receives the request
# and the member (org.Member) and yields Panels, as for the home slots; whoever may open the
# page sees them, so a provider shows only what that page's readers may read.
#
#     def _honours(request, member):
#         yield Panel("services/honours/_profile_panel.html", {"honours": [...]}, order=50)
#
#     register_profile_panels(_honours)

ProfilePanelProvider = Callable[[object, object], Iterable[Panel]]
_PROFILE_PROVIDERS: list[ProfilePanelProvider] = []


def register_profile_panels(provider: ProfilePanelProvider) -> None:
    if provider not in _PROFILE_PROVIDERS:
        _PROFILE_PROVIDERS.append(provider)


def profile_panels_for(request, member) -> list[Panel]:
    """Every registered module's panels for `member`'s record page, by order; a failing
    provider is logged and skipped."""
    panels: list[Panel] = []
    for provider in _PROFILE_PROVIDERS:
        try:
            panels.extend(provider(request, member))
        except Exception:
            logger.exception("home: the profile panel provider %r failed", provider)
    return sorted(panels, key=lambda p: p.order)


# --- workspace figures ---------------------------------------------------------------------------
#
# The cadre workspace opens with figures: counts the user may see, each linking to its list.
# A provider receives the user, checks its permissions and yields Figures:
#
#     def _figures(user):
#         if has_perm(user, "org.view_member"):
#             count, exact = queries.count_capped(...)
#             yield Figure(_("在册会员"), count, exact=exact, url=reverse("org:member-list"))
#
#     register_figures(_figures)


@dataclass(frozen=True)
class Figure:
    label: str
    value: int
    exact: bool = True  # False: at least `value` (a capped count)
    detail: str = ""
    url: str | None = None
    order: int = 100


FigureProvider = Callable[[object], Iterable[Figure]]
_FIGURE_PROVIDERS: list[FigureProvider] = []


def register_figures(provider: FigureProvider) -> None:
    if provider not in _FIGURE_PROVIDERS:
        _FIGURE_PROVIDERS.append(provider)


def figures_for(user) -> list[Figure]:
    """Every registered module's figures for `user`, by order; a failing provider is logged
    and skipped."""
    figures: list[Figure] = []
    for provider in _FIGURE_PROVIDERS:
        try:
            figures.extend(provider(user))
        except Exception:
            logger.exception("home: the figure provider %r failed", provider)
    return sorted(figures, key=lambda f: f.order)
