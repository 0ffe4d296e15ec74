"""API of module services: one router combining the subjects' routers."""

from ninja import Router

from zhijia.services.api.counseling import router as counseling_router
from zhijia.services.api.volunteering import router as volunteering_router

router = Router(tags=["services"])
router.add_router("/counseling", counseling_router)
router.add_router("/volunteering", volunteering_router)
