"""API of module homes: one router combining the subjects' routers."""

from ninja import Router

from zhijia.homes.api.assessments import router as assessments_router
from zhijia.homes.api.rounds import router as rounds_router

router = Router(tags=["homes"])
router.add_router("", rounds_router)
router.add_router("", assessments_router)
