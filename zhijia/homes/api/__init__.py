"""API of module homes: one router combining the subjects' routers."""

from ninja import Router

router = Router(tags=["homes"])
