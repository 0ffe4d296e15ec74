"""API of module notices (/api/v1/notices): one router combining the subjects' routers."""

from ninja import Router

from zhijia.notices.api.guide import router as guide_router
from zhijia.notices.api.notices import router as notices_router

router = Router(tags=["notices"])
router.add_router("/", notices_router)
router.add_router("/", guide_router)
