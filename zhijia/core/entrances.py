"""Service entrances: the icons and short names that open a worker's phone home.

Core knows no module: each module registers its entrances from its AppConfig.ready() (in its
home.py), with a predicate that says whether a user may use the service. The predicate goes
through the module's queries, so through the permission layer: an entrance is shown only to
whoever its page would serve (tests/test_navigation_crawl.py follows every one).

    from zhijia.core.entrances import Entrance, register_entrance

    register_entrance(
        Entrance("safety.report", _("隐患随手拍"), "safety:home", icon="camera",
                 may_use=queries.is_member, order=70)
    )

`icon` names a <symbol> of the sprite zhijia/static/zhijia/icons.svg (no icon fonts, no
external files). A predicate that fails is logged and the entrance left out, so one module
cannot take the home page down.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.functional import Promise

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Entrance:
    key: str  # unique, "<module>.<service>"
    label: str | Promise  # short: four characters or so fit under an icon on a phone
    url_name: str
    icon: str  # symbol id in zhijia/static/zhijia/icons.svg
    may_use: Callable[[object], bool]
    order: int = 100


_ENTRANCES: dict[str, Entrance] = {}


def register_entrance(entrance: Entrance) -> None:
    """Register (or replace, by key) an entrance."""
    _ENTRANCES[entrance.key] = entrance


def registered_entrances() -> list[Entrance]:
    return sorted(_ENTRANCES.values(), key=lambda e: (e.order, e.key))


def entrances_for(user) -> list[dict]:
    """The entrances `user` may use, in order: [{"key", "label", "url", "icon"}]."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    found = []
    for entrance in registered_entrances():
        try:
            if not entrance.may_use(user):
                continue
            url = reverse(entrance.url_name)
        except NoReverseMatch:
            logger.warning("entrance %s has no URL", entrance.key)
            continue
        except Exception:
            logger.exception("entrance %s: the predicate failed", entrance.key)
            continue
        found.append(
            {"key": entrance.key, "label": entrance.label, "url": url, "icon": entrance.icon}
        )
    return found
