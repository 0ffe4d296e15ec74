"""API of module women: one router combining the subjects' routers."""

from ninja import Router

from zhijia.women.api.checks import router as checks_router
from zhijia.women.api.provinces import router as provinces_router
from zhijia.women.api.registrations import router as registrations_router
from zhijia.women.api.rooms import router as rooms_router

router = Router(tags=["women"])
router.add_router("", registrations_router)
router.add_router("", provinces_router)
router.add_router("", rooms_router)
router.add_router("", checks_router)
